"""Keeping the search index in step: each posting's stored `search_vector` and `countries`,
and the "did you mean" word list. Writes; callers run them after saving a posting, its
locations or its company (and beat rebuilds the word list)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable

from django.db import connection
from django_countries import countries as all_countries

from jobs.board.search.sql import _TAGS_RE, TS_CONFIG
from jobs.models import Posting

REFRESH_BATCH = 5_000


@functools.cache
def _country_names_json() -> str:
    return json.dumps({code: str(name) for code, name in all_countries})


def refresh_search_vectors(posting_ids: Iterable[int] | None = None) -> int:
    """Recompute `search_vector` and `countries` of the given postings (all when None).

    Title weighs A; company name, team and locations (cities, regions, country codes and names) B;
    the description's text C. One UPDATE per batch of `REFRESH_BATCH` ids, so it is cheap for one
    posting and workable for a million. Returns the number of rows updated.
    """
    names = _country_names_json()
    sql = f"""
        UPDATE jobs_posting AS p SET
            search_vector =
                setweight(to_tsvector('{TS_CONFIG}', unaccent(coalesce(p.title, ''))), 'A')
                || setweight(to_tsvector('{TS_CONFIG}', unaccent(
                       coalesce(c.name, '') || ' ' || coalesce(p.team, '') || ' '
                       || coalesce(loc.text, '')
                   )), 'B')
                || setweight(to_tsvector('{TS_CONFIG}', unaccent(
                       regexp_replace(coalesce(p.description, ''), %(tags)s, ' ', 'g')
                   )), 'C'),
            countries = coalesce(loc.countries, ARRAY[]::varchar[])
        FROM jobs_company AS c, jobs_posting AS p2
        LEFT JOIN LATERAL (
            SELECT string_agg(concat_ws(' ', l.city, l.region, l.country,
                                        %(names)s::jsonb ->> l.country), ' ') AS text,
                   array_agg(DISTINCT l.country::varchar) AS countries
            FROM jobs_posting_locations AS pl JOIN jobs_location AS l ON l.id = pl.location_id
            WHERE pl.posting_id = p2.id
        ) AS loc ON true
        WHERE p2.id = p.id AND c.id = p.company_id AND {{where}}
    """  # noqa: S608 - constants and fixed clauses; values are parameters
    total = 0
    with connection.cursor() as cursor:
        if posting_ids is not None:
            ids = sorted({int(i) for i in posting_ids})
            for start in range(0, len(ids), REFRESH_BATCH):
                batch = ids[start : start + REFRESH_BATCH]
                cursor.execute(
                    sql.replace("{where}", "p.id = ANY(%(ids)s)"),
                    {"ids": batch, "names": names, "tags": _TAGS_RE},
                )
                total += cursor.rowcount
            return total
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM jobs_posting")
        low, high = cursor.fetchone()
        for start in range(low, high + 1, REFRESH_BATCH):
            cursor.execute(
                sql.replace("{where}", "p.id >= %(lo)s AND p.id < %(hi)s"),
                {"lo": start, "hi": start + REFRESH_BATCH, "names": names, "tags": _TAGS_RE},
            )
            total += cursor.rowcount
    return total


def refresh_company_search_vectors(company_id: int) -> int:
    """After a company is renamed: refresh its postings' vectors."""
    ids = Posting.objects.filter(company_id=company_id).values_list("id", flat=True)
    return refresh_search_vectors(list(ids))


def refresh_search_terms(*, limit: int = 50_000) -> int:
    """Rebuild the "did you mean" word list from the published postings' titles and companies.

    Run periodically (it reads every published title); the list is bounded to the `limit` most
    frequent words and searched through a trigram GiST index.
    """
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM jobs_search_term")
        cursor.execute(
            """
            INSERT INTO jobs_search_term (word, ndoc)
            SELECT word, ndoc FROM ts_stat($$
                SELECT to_tsvector('simple', unaccent(p.title || ' ' || c.name))
                FROM jobs_posting p JOIN jobs_company c ON c.id = p.company_id
                WHERE p.status = 'published'
            $$)
            WHERE length(word) BETWEEN 3 AND 40 AND word ~ '^[[:alpha:]][[:alnum:]+#.-]*$'
            ORDER BY ndoc DESC, word
            LIMIT %s
            """,
            [limit],
        )
        return cursor.rowcount
