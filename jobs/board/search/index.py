"""Keeping the search index in step: each posting's stored `search_vector` and `countries`,
and the "did you mean" word list. Writes; callers run them after saving a posting, its
locations, its company or its summary (and beat rebuilds the word list)."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django_countries import countries as all_countries

from jobs.board.search.sql import _TAGS_RE, TS_CONFIG
from jobs.models import Posting
from jobs.summary.text import MAX_TEXT, source_text

REFRESH_BATCH = 5_000


@functools.cache
def _country_names_json() -> str:
    return json.dumps({code: str(name) for code, name in all_countries})


def summary_sections(description: str, summary: dict[str, Any] | None) -> tuple[str, str, str]:
    """(required, preferred, rest) of a posting's text, split by its structured summary: the
    summary's required and preferred points, and the text without them. ("", "", "") when the
    posting has no summary of its current text (not summarized yet, or edited since): then the
    whole description counts as "rest" (see `refresh_search_vectors`)."""
    if not summary or summary.get("status") != "ok" or len(description or "") > MAX_TEXT:
        return "", "", ""
    text = source_text(description)
    digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
    if summary.get("text_sha1") and summary["text_sha1"] != digest:
        return "", "", ""
    spans: dict[str, list[tuple[int, int]]] = {"required": [], "preferred": []}
    for name, found in spans.items():
        for item in summary.get(name) or []:
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
                found.append((start, end))
    if not spans["required"] and not spans["preferred"]:
        return "", "", ""
    rest, pos = [], 0
    for start, end in sorted(spans["required"] + spans["preferred"]):
        rest.append(text[pos:start])
        pos = max(pos, end)
    rest.append(text[pos:])
    required = "\n".join(text[a:b] for a, b in spans["required"])
    preferred = "\n".join(text[a:b] for a, b in spans["preferred"])
    return required, preferred, "\n".join(rest) or " "


def _sections_of(cursor, where: str, args: dict[str, Any]) -> dict[str, list]:
    """The batch's summarized postings split by `summary_sections`, as arrays for the UPDATE."""
    cursor.execute(
        f"SELECT p.id, p.description, p.summary FROM jobs_posting p"  # noqa: S608 - fixed clauses
        f" WHERE p.summary IS NOT NULL AND {where}",
        args,
    )
    out: dict[str, list] = {"s_ids": [], "s_req": [], "s_pref": [], "s_rest": []}
    for posting_id, description, summary in cursor.fetchall():
        if isinstance(summary, str):
            summary = json.loads(summary)
        required, preferred, rest = summary_sections(description, summary)
        if rest:
            out["s_ids"].append(posting_id)
            out["s_req"].append(required)
            out["s_pref"].append(preferred)
            out["s_rest"].append(rest)
    return out


def refresh_search_vectors(posting_ids: Iterable[int] | None = None) -> int:
    """Recompute `search_vector` and `countries` of the given postings (all when None).

    What a job seeker means by a match sets the weights: the title weighs A; the required
    qualifications (from the posting's structured summary), the company name, team and locations
    (cities, regions, country codes and names) B; the rest of the description C; the preferred
    ("nice to have") qualifications D. A posting without a summary of its current text has its
    whole description at C until the summary lands (`posting_summary_refresh` refreshes the
    vector). One UPDATE per batch of `REFRESH_BATCH` ids, so it is cheap for one posting and
    workable for a million. Returns the number of rows updated.
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
                || setweight(to_tsvector('{TS_CONFIG}', unaccent(coalesce(s.required, ''))), 'B')
                || setweight(to_tsvector('{TS_CONFIG}', unaccent(coalesce(
                       s.rest, regexp_replace(coalesce(p.description, ''), %(tags)s, ' ', 'g')
                   ))), 'C')
                || setweight(to_tsvector('{TS_CONFIG}', unaccent(coalesce(s.preferred, ''))), 'D'),
            countries = coalesce(loc.countries, ARRAY[]::varchar[])
        FROM jobs_company AS c, jobs_posting AS p2
        LEFT JOIN LATERAL (
            SELECT string_agg(concat_ws(' ', l.city, l.region, l.country,
                                        %(names)s::jsonb ->> l.country), ' ') AS text,
                   array_agg(DISTINCT l.country::varchar) AS countries
            FROM jobs_posting_locations AS pl JOIN jobs_location AS l ON l.id = pl.location_id
            WHERE pl.posting_id = p2.id
        ) AS loc ON true
        LEFT JOIN unnest(%(s_ids)s::bigint[], %(s_req)s::text[], %(s_pref)s::text[],
                         %(s_rest)s::text[]) AS s(id, required, preferred, rest) ON s.id = p2.id
        WHERE p2.id = p.id AND c.id = p.company_id AND {{where}}
    """  # noqa: S608 - constants and fixed clauses; values are parameters
    total = 0
    with connection.cursor() as cursor:

        def run(where: str, args: dict[str, Any]) -> None:
            nonlocal total
            sections = _sections_of(cursor, where, args)
            cursor.execute(
                sql.replace("{where}", where),
                {**args, **sections, "names": names, "tags": _TAGS_RE},
            )
            total += cursor.rowcount

        if posting_ids is not None:
            ids = sorted({int(i) for i in posting_ids})
            for start in range(0, len(ids), REFRESH_BATCH):
                run("p.id = ANY(%(ids)s)", {"ids": ids[start : start + REFRESH_BATCH]})
            return total
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM jobs_posting")
        low, high = cursor.fetchone()
        for start in range(low, high + 1, REFRESH_BATCH):
            run("p.id >= %(lo)s AND p.id < %(hi)s", {"lo": start, "hi": start + REFRESH_BATCH})
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
