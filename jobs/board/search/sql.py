"""The search's SQL: parse the words, count and facet a capped set of matches, pick the
page's ids and load its rows, suggest a spelling (see the package's docstring for the plans)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from django.utils import timezone

from config.db_router import public_read_connection as connection  # a replica for public reads
from jobs.board.search.params import SearchParams
from jobs.board.search.presentation import (
    _HL_START,
    _HL_STOP,
    COMPANY_FACET_SIZE,
    Hit,
    SearchResult,
    _facets,
    _highlight,
)
from jobs.models import Posting
from jobs.summary.web import summary_lines

COUNT_CAP = 1_000  # counts and facets are exact up to this many matches, estimated beyond
RANK_CANDIDATES = COUNT_CAP + 1  # relevance ranks the capped set of matches, never every match
PHRASE_WINDOW = 1_000  # a phrase is checked in at most this many postings holding its words
# Measured at 1,000,000 postings: checking `@@` on a row costs about 1.2 µs, adding a GIN entry to
# a bitmap about 0.4 µs (see `_scan_rows`).
INDEX_ENTRIES_PER_ROW_CHECK = 3
SCAN_SLACK = 3  # a scan reads at most this many times the rows it is expected to need
PER_PAGE = 20
TS_CONFIG = "english"
# Relevance, as a job seeker means it (see `index.refresh_search_vectors` for what each weight
# holds: A title, B required qualifications + company/team/locations, C the rest of the
# description, D preferred qualifications). A posting's tier is where its weakest word is:
# every word in the title (4), in the title or the requirements (2), anywhere but the "nice to
# have" points (1), or only there (0); the words as typed, side by side in the title, add 1
# ("accountant" is not an "Account Executive", whose stem is the same; checked only in the top
# tier, where it can apply); within a tier, weighted ts_rank orders (the heavier parts, and for
# several words their proximity: ts_rank weighs each pair of the words' positions by their
# distance), scaled into [0, 1) by its normalization 32 so that it never crosses a tier.
# ts_rank_cd ranked the judged set no better (0.996 against 0.997) and cost 1 ms more per 1,001
# candidates. Ranked only over the bounded candidate set (`RANK_CANDIDATES`). Measured on the
# judged demo set (tests/jobs/board/relevance/): NDCG@10 0.997 against 0.945 for the previous
# weighted ts_rank.
RANK_WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"  # D, C, B, A
RANK_SQL = f"""(CASE WHEN search_vector @@ %(tsq_a)s::tsquery
                     THEN 4 + CASE WHEN %(title_re)s <> ''
                                    AND unaccent(title) ~* unaccent(%(title_re)s) THEN 1 ELSE 0 END
                     WHEN search_vector @@ %(tsq_ab)s::tsquery THEN 2
                     WHEN search_vector @@ %(tsq_abc)s::tsquery THEN 1 ELSE 0 END
               + ts_rank('{RANK_WEIGHTS}', search_vector, %(tsq)s::tsquery, 32))"""
# Plain ts_rank: what relevance was measured against (the relevance test, bench/search.py).
PLAIN_RANK_SQL = "ts_rank(search_vector, %(tsq)s::tsquery)"
_TAGS_RE = r"<[^>]+>"
_LEXEME_RE = re.compile(r"('(?:[^']|'')*')(?::([*A-D]+))?")
_TYPED_WORD_RE = re.compile(r"[^\W_][\w+#]*", re.UNICODE)


@dataclass(frozen=True)
class ParsedQuery:
    """The words of a search as PostgreSQL reads them (websearch_to_tsquery after unaccent)."""

    tsquery: str  # the tsquery's text, passed back as a constant so the planner sees the words
    nodes: int  # 0: only operators or stop words
    approx: str  # the same with phrase operators turned into AND (exact on the GIN index)

    @property
    def has_phrase(self) -> bool:
        return self.approx != self.tsquery

    def weighted(self, weights: str) -> str:
        """The tsquery with every word restricted to the vector's parts `weights` ("AB": each
        word in the title or the requirements)."""

        def restrict(m: re.Match) -> str:
            prefix = "*" if m.group(2) and "*" in m.group(2) else ""
            return f"{m.group(1)}:{prefix}{weights}"

        return _LEXEME_RE.sub(restrict, self.tsquery)


def _rank_args(q: str, query: ParsedQuery) -> dict[str, str]:
    """The parameters of `RANK_SQL`: the query in each tier, and the typed words as a
    case-insensitive pattern for the title ("" when the query has operators or quotes)."""
    words = _TYPED_WORD_RE.findall(q)
    plain = words and not re.search(r"[\"]|(^|\s)-|\bor\b", q, re.I)
    # Word edges spelled out: \m and \M need a letter or digit there ("c++", "c#").
    edge_l, edge_r = r"(^|[^[:alnum:]_])", r"([^[:alnum:]_]|$)"
    body = r"\s+".join(re.escape(w) for w in words)
    title_re = f"{edge_l}{body}{edge_r}" if plain else ""
    return {
        "tsq_a": query.weighted("A"),
        "tsq_ab": query.weighted("AB"),
        "tsq_abc": query.weighted("ABC"),
        "title_re": title_re,
    }


def parse_query(q: str) -> ParsedQuery | None:
    if not q:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            /* search:parse */
            SELECT t::text, numnode(t), regexp_replace(t::text, '<(-|[0-9]+)>', '&', 'g')
            FROM websearch_to_tsquery('{TS_CONFIG}', unaccent(%s)) AS t
            """,  # noqa: S608 - a constant
            [q],
        )
        text, nodes, approx = cursor.fetchone()
    return ParsedQuery(text, nodes, approx)


# Published and not past its end (the expiry scanner may not have run yet).
_LIVE = "p.status = 'published' AND (p.expires_at IS NULL OR p.expires_at > now())"


def _where(
    params: SearchParams, query: ParsedQuery | None, *, words: bool = True
) -> tuple[str, dict[str, Any]]:
    """WHERE clause over jobs_posting (alias p) and its parameters (`words=False`: the filters only).

    For a phrase, the text condition is the phrase's words ANDed (the GIN index answers it without
    reading the rows); `_matches` then checks the phrase on a bounded number of rows.
    """
    clauses = [_LIVE]
    args: dict[str, Any] = {}
    if query:
        if words:
            clauses.append("p.search_vector @@ %(approx)s::tsquery")
        args["approx"] = query.approx
        args["tsq"] = query.tsquery
    if params.countries:
        clauses.append("p.countries && %(countries)s::varchar[]")
        args["countries"] = list(params.countries)
    if params.workplaces:
        clauses.append("p.workplace = ANY(%(workplaces)s)")
        args["workplaces"] = list(params.workplaces)
    if params.employment_types:
        clauses.append("p.employment_type = ANY(%(types)s)")
        args["types"] = list(params.employment_types)
    if params.levels:
        clauses.append("p.level = ANY(%(levels)s)")
        args["levels"] = list(params.levels)
    if params.companies:
        clauses.append(
            "p.company_id IN (SELECT id FROM jobs_company WHERE slug = ANY(%(companies)s))"
        )
        args["companies"] = list(params.companies)
    if params.location:
        clauses.append(
            "p.id IN (SELECT pl.posting_id FROM jobs_posting_locations pl"
            " JOIN jobs_location l ON l.id = pl.location_id"
            " WHERE lower(unaccent(l.city)) = lower(unaccent(%(city)s))"
            " OR lower(unaccent(l.region)) = lower(unaccent(%(city)s)))"
        )
        args["city"] = params.location
    if params.min_salary:
        # Compared as a yearly amount in EUR (the posting's, kept by a trigger: jobs/salaries.py);
        # the reader's amount is converted once (an init plan), not each row's.
        threshold = "%(min_salary)s"
        if params.salary_currency not in ("", "EUR"):
            threshold += (
                " * (SELECT r.rate_to_eur FROM jobs_exchangerate r"
                " WHERE r.currency = %(salary_currency)s)"
            )
            args["salary_currency"] = params.salary_currency
        clauses.append(f"coalesce(p.salary_eur_max, p.salary_eur_min) >= {threshold}")
        args["min_salary"] = params.min_salary
    if params.posted_within:
        clauses.append("p.published_at >= %(since)s")
        args["since"] = timezone.now() - timedelta(days=params.posted_within)
    return " AND ".join(clauses), args


def _matches(
    params: SearchParams,
    query: ParsedQuery | None,
    columns: str,
    limit: int,
    *,
    scan_rows: int = 0,
    newest: bool = False,
) -> tuple[str, dict[str, Any], int]:
    """SQL of at most `limit` matching rows (a phrase: its window) with `columns` and a `hit` column,
    its parameters, and the number of rows it asks for.

    Without a phrase every row is a hit. With one, the rows are the first `PHRASE_WINDOW` rows
    holding all the phrase's words, and `hit` says whether the phrase itself is there: checking a
    phrase reads the row, so the number of rows checked is bounded.

    With `scan_rows` the words are checked on the rows instead of through the GIN index, on at most
    that many rows that pass the filters (see `_scan_rows`). With `newest` the rows are the newest
    matches (the planner may then walk the date index).
    """
    if query and query.has_phrase:
        hit, limit = "p.search_vector @@ %(tsq)s::tsquery", PHRASE_WINDOW
    else:
        hit = "true"
    if query and scan_rows:
        filters, args = _where(params, query, words=False)
        source = f"""(SELECT * FROM jobs_posting p WHERE {filters} LIMIT {scan_rows}) AS p
                     WHERE ts_match_vq(p.search_vector, %(approx)s::tsquery)"""  # noqa: S608 - constants and fixed clauses
    else:
        where, args = _where(params, query)
        source = f"jobs_posting p WHERE {where}"
    order = " ORDER BY p.published_at DESC, p.id DESC" if newest else ""
    sql = f"SELECT {columns}, {hit} AS hit FROM {source}{order} LIMIT {limit}"  # noqa: S608 - constants and fixed clauses
    return sql, args, limit


def _in_date_index(params: SearchParams) -> bool:
    """Whether the date index (`posting_published_newest_filters`: date, workplace, type, level)
    holds every filter of `params`."""
    return not (params.countries or params.companies or params.location or params.min_salary)


def _scan_rows(estimate: int, candidates: int, word_matches: int | None = None) -> int:
    """How many filtered rows to read when checking the words row by row is cheaper than the index;
    0 when it is not.

    Finding the first `COUNT_CAP` + 1 matches by reading rows costs about (COUNT_CAP + 1) / share
    row checks (share: the planner's estimated share of the candidates that match); through the
    GIN index it costs reading every posting of the words (`word_matches`, whatever the filters:
    the index intersects the words' lists with the filters' own) into a bitmap first. A row check
    costs about as much as `INDEX_ENTRIES_PER_ROW_CHECK` index entries, so reading wins when those
    entries are that many times more than the rows to read. PostgreSQL's own costs underrate the
    bitmap: at 1,000,000 postings it chose a 70 ms bitmap of 168,000 entries over a 7 ms scan, and
    36 ms for "team" (in 995,000 postings) in Germany, remote, contract (2,200 of them) over a scan
    of the filters' 2,300 rows. The rows read are bounded at `SCAN_SLACK` times the expected number,
    so an estimate that is far too high costs one bounded scan and then the index; with fewer
    matches expected than the cap, a scan would end short of it, so the index answers.
    """
    if estimate <= COUNT_CAP or not candidates:
        return 0
    share = min(1.0, estimate / candidates)
    rows_to_read = (COUNT_CAP + 1) / share
    if max(estimate, word_matches or 0) < INDEX_ENTRIES_PER_ROW_CHECK * rows_to_read:
        return 0
    return math.ceil(SCAN_SLACK * rows_to_read)


@dataclass
class _Stats:
    total: int
    capped: bool
    counts: dict[str, dict[str, int]]
    companies: dict[str, tuple[str, int]]
    ids: list[int] = field(default_factory=list)
    estimated: bool = False  # total and counts are estimates (more matches than COUNT_CAP)
    reachable: int = 0  # the matches the pages reach: the exact count, at most COUNT_CAP
    counted: int = 0  # the matches counted: up to COUNT_CAP + 1 (the sample beyond the cap)
    seen: int = 0  # rows in the capped set (a phrase's window holds rows without the phrase)
    scan_rows: int = 0  # the words were checked row by row on at most this many rows (_scan_rows)
    # Each selected facet's own set (`_facet_sets`): (matches counted, of which the selection keeps)
    own_sets: dict[str, tuple[int, int]] = field(default_factory=dict)


def _stats(params: SearchParams, query: ParsedQuery | None, *, offset: int, limit: int) -> _Stats:
    """Capped total, every facet's counts and a page of ids, in one pass over the capped set.

    The page's ids (in the requested order, from `offset`) are exact when the matches are not
    capped, and for relevance, which ranks this same bounded candidate set; newest-first over a
    capped set needs `_page_ids` (the date index) instead.

    With words, the planner's estimate comes first (one EXPLAIN): it decides whether the words are
    checked row by row or through the index (`_scan_rows`), and it is the total beyond the cap.
    """
    estimate = None
    scan_rows = 0
    if query:
        estimate, candidates, word_matches = _plan_estimates(params, query)
        scan_rows = _scan_rows(estimate, candidates, word_matches)
    stats = _stats_pass(params, query, offset=offset, limit=limit, scan_rows=scan_rows)
    if stats is None:  # a bounded scan found fewer matches than estimated: use the index
        scan_rows = 0
        stats = _stats_pass(params, query, offset=offset, limit=limit, scan_rows=0)
    assert stats is not None  # without a bounded scan the pass always completes
    stats.scan_rows = scan_rows
    if stats.capped and stats.total:
        if estimate is None:
            estimate, _ = _estimate_matches(params, query)
        _scale_to_estimate(stats, query, estimate=estimate)
    _scale_own_sets(stats)
    return stats


def _scale_own_sets(stats: _Stats) -> None:
    """A selected facet's set beyond the cap is a sample too: its rows the selection keeps are the
    main matches (exact or estimated), which scales the sample's counts without another query."""
    for key, (counted, kept) in stats.own_sets.items():
        if counted <= COUNT_CAP or not kept:
            continue
        factor = (stats.total if stats.estimated else stats.counted) / kept
        if key == "company":
            stats.companies = {
                slug: (name, _round_estimate(n * factor))
                for slug, (name, n) in stats.companies.items()
            }
        else:
            stats.counts[key] = {
                v: _round_estimate(n * factor) for v, n in stats.counts[key].items()
            }


# Disjunctive facets: a selected facet's counts come from the matches without that facet's own
# filter, so ticking Remote keeps every workplace with its count. Each facet: the params without
# its selection, the clause that selection adds (over the capped set's columns), its GROUPING() id.
_OWN_FILTER = {
    "workplace": ("workplaces", "workplace = ANY(%(workplaces)s)", 7),
    "type": ("employment_types", "employment_type = ANY(%(types)s)", 11),
    "level": ("levels", "level = ANY(%(levels)s)", 13),
    "company": (
        "companies",
        "company_id IN (SELECT id FROM jobs_company WHERE slug = ANY(%(companies)s))",
        14,
    ),
    "country": ("countries", "countries && %(countries)s::varchar[]", -1),
}
_FACET_OF_GID = {gid: key for key, (_, _, gid) in _OWN_FILTER.items()}


def _selected_facets(params: SearchParams) -> list[tuple[str, SearchParams]]:
    """Each selected facet with the params of its own set (the search without that selection)."""
    # Every facet filter is a tuple field, so () is its "no selection" (a dynamic name).
    return [
        (key, replace(params, **{attr: ()}))  # type: ignore[arg-type]
        for key, (attr, _, _) in _OWN_FILTER.items()
        if getattr(params, attr)
    ]


def _facet_sets(
    params: SearchParams, query: ParsedQuery | None, columns: str, scan_rows: int
) -> tuple[str, str, dict[str, Any], int]:
    """For each selected facet, a capped set of the matches without that facet's filter (CTEs)
    and its counts grouped by the facet's value (rows shaped like the main groups, `src` naming
    the facet), and the rows each set must hold when it was found by a bounded scan. Each set is
    bounded like the main one (COUNT_CAP + 1 rows, or a phrase's window) and found the same way:
    the words are checked row by row when the main set's are (`scan_rows`: the words' share of
    the rows is the same, and a set without one of the filters has more candidates). Without
    words and with filters the date index holds (workplace, type, level, date), a set is the
    newest matches: walking that index checks them inside it, where the GIN index would build
    a bitmap of every posting of each value (remote: a third of the board).
    """
    ctes, rows, args, full = [], [], {}, 0
    for key, unselected in _selected_facets(params):
        own, gid = _OWN_FILTER[key][1:]
        m_sql, m_args, window = _matches(
            unselected,
            query,
            columns,
            COUNT_CAP + 1,
            scan_rows=scan_rows,
            newest=not query and _in_date_index(unselected),
        )
        full = window if scan_rows else 0
        args.update(m_args)
        name = f"m_{key}"
        ctes.append(f", {name} AS MATERIALIZED ({m_sql})")
        # The set's total and how many of its rows the selection keeps (scales estimates); the
        # rows it holds ride in the (text) country column: a scan that ended short is redone.
        rows.append(f"""SELECT '{key}', 15, NULL, NULL, NULL, NULL, count(*)::varchar,
            count(*) FILTER (WHERE hit), count(*) FILTER (WHERE hit AND {own}) FROM {name}""")  # noqa: S608 - constants
        if key == "country":
            rows.append(f"""SELECT '{key}', -1, NULL, NULL, NULL, NULL, c.country, count(*),
                count(*) FROM (SELECT unnest(countries) AS country FROM {name} WHERE hit) AS c
                GROUP BY c.country""")  # noqa: S608 - constants
        else:
            column = {7: "workplace", 11: "employment_type", 13: "level", 14: "company_id"}[gid]
            values = ["NULL"] * 4
            values[[7, 11, 13, 14].index(gid)] = column
            rows.append(f"""SELECT '{key}', {gid}, {", ".join(values)}, NULL::varchar,
                count(*) FILTER (WHERE hit), count(*) FROM {name} GROUP BY {column}""")  # noqa: S608 - constants
    union = "".join(f" UNION ALL {row}" for row in rows)
    return "".join(ctes), union, args, full


def _stats_pass(
    params: SearchParams,
    query: ParsedQuery | None,
    *,
    offset: int,
    limit: int,
    scan_rows: int,
) -> _Stats | None:
    """The stats query; None when a scan (`scan_rows`) ended before it found a capped set."""
    ranked = params.effective_sort == "relevance" and query is not None
    columns = (
        "p.id, p.published_at, p.workplace, p.employment_type, p.level, p.company_id, p.countries"
    )
    if ranked:
        columns += ", p.search_vector, p.title"
        order = f"{RANK_SQL} DESC, published_at DESC, id DESC"
    else:
        order = "published_at DESC, id DESC"
    m_sql, args, window = _matches(params, query, columns, COUNT_CAP + 1, scan_rows=scan_rows)
    # Only the companies the facet shows get their names: a board has far more companies than a
    # page of matches, and joining every group to jobs_company grew with them.
    company_rows = COMPANY_FACET_SIZE + len(params.companies)
    selected_first = ""
    if params.companies:
        selected_first = (
            "g.company_id IN (SELECT id FROM jobs_company WHERE slug = ANY(%(companies)s)) DESC,"
        )
    facet_ctes, facet_rows, facet_args, facet_window = _facet_sets(
        params, query, columns.replace(", p.search_vector", ""), scan_rows
    )
    sql = f"""
        /* search:stats */
        WITH m AS MATERIALIZED ({m_sql}){facet_ctes}, g AS (
            SELECT '' AS src, GROUPING(workplace, employment_type, level, company_id) AS gid,
                   workplace, employment_type, level, company_id, NULL::varchar AS country,
                   count(*) FILTER (WHERE hit) AS n, count(*) AS seen
            FROM m GROUP BY GROUPING SETS ((workplace), (employment_type), (level),
                                           (company_id), ())
            UNION ALL
            SELECT '', -1, NULL, NULL, NULL, NULL, c.country, count(*), count(*)
            FROM (SELECT unnest(countries) AS country FROM m WHERE hit) AS c GROUP BY c.country
            {facet_rows}
        )
        , shown AS (
            SELECT * FROM g WHERE gid <> 14
            UNION ALL
            (SELECT * FROM g WHERE gid = 14 AND src = '' AND n > 0
             ORDER BY {selected_first} n DESC, company_id LIMIT {company_rows})
            UNION ALL
            (SELECT * FROM g WHERE gid = 14 AND src = 'company' AND n > 0
             ORDER BY {selected_first} n DESC, company_id LIMIT {company_rows})
        )
        SELECT g.src, g.gid, g.workplace, g.employment_type, g.level, g.country, g.n, g.seen,
               co.name, co.slug,
               (SELECT array_agg(id) FROM (SELECT id FROM m WHERE hit ORDER BY {order}
                                           OFFSET %(offset)s LIMIT %(limit)s) AS page) AS ids
        FROM shown AS g LEFT JOIN jobs_company co ON co.id = g.company_id
    """  # noqa: S608 - constants and fixed clauses; values are parameters
    args = {**facet_args, **args, "offset": offset, "limit": limit}
    if ranked:
        assert query is not None
        args.update(_rank_args(params.q, query))
    counts: dict[str, dict[str, int]] = {k: {} for k in ("workplace", "type", "level", "country")}
    companies: dict[str, tuple[str, int]] = {}
    total, seen = 0, 0
    ids: list[int] = []
    # A selected facet's own set: {facet: (its matches counted, of which the selection keeps)}.
    own_sets: dict[str, tuple[int, int]] = {}
    own_counts: dict[str, dict[str, int]] = {}
    own_companies: dict[str, tuple[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        rows = cursor.fetchall()
    # GROUPING() bits, left to right: workplace=8, employment_type=4, level=2, company_id=1.
    for src, gid, workplace, etype, level, country, n, row_seen, co_name, co_slug, page_ids in rows:
        ids = page_ids or []
        target = own_counts.setdefault(src, {}) if src else None
        if gid == 15:
            if src:
                own_sets[src] = (n, row_seen)
                if int(country) < facet_window:
                    return None
            else:
                total, seen = n, row_seen
        elif not n:
            continue
        elif gid == 14:
            if co_slug:
                (own_companies if src else companies)[co_slug] = (co_name, n)
        else:
            value = {-1: country, 7: workplace, 11: etype, 13: level or ""}[gid]
            (target if target is not None else counts[_FACET_OF_GID[gid]])[value] = n
    if scan_rows and seen < window:
        return None
    capped = total > COUNT_CAP or bool(query and query.has_phrase and seen >= PHRASE_WINDOW)
    stats = _Stats(min(total, COUNT_CAP), capped, counts, companies, ids, counted=total, seen=seen)
    stats.reachable = stats.total
    stats.own_sets = own_sets
    for key in own_sets:
        if key == "company":
            stats.companies = own_companies
        else:
            stats.counts[key] = own_counts.get(key, {})
    return stats


def _round_estimate(n: float) -> int:
    """Two significant digits: an estimate should not look more precise than it is."""
    if n < 100:
        return max(1, round(n))
    digits = len(str(int(n))) - 2
    return int(round(n, -digits))


def _estimate_rows(wheres: list[str], args: dict[str, Any]) -> list[int]:
    """The planner's estimates (its statistics: one EXPLAIN, no reading) of the rows of each
    WHERE clause over jobs_posting p; fewer numbers than clauses when the planner dropped one."""
    sql = " UNION ALL ".join(f"SELECT 1 FROM jobs_posting p WHERE {where}" for where in wheres)  # noqa: S608 - constants and fixed clauses
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", args)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    plan = plan[0]["Plan"]
    if len(wheres) == 1:
        return [int(plan["Plan Rows"])]
    branches = plan.get("Plans", []) if plan["Node Type"] == "Append" else []
    return [int(branch["Plan Rows"]) for branch in branches]


def _estimate_matches(params: SearchParams, query: ParsedQuery | None) -> tuple[int, int]:
    """The planner's estimates of the matching rows and of the rows that pass the filters alone
    (the same without words)."""
    matches, candidates, _ = _plan_estimates(params, query)
    return matches, candidates


def _plan_estimates(params: SearchParams, query: ParsedQuery | None) -> tuple[int, int, int]:
    """In one EXPLAIN: the estimated matches, the rows that pass the filters alone, and the live
    postings holding the words whatever the filters (the GIN index reads all of those)."""
    where, args = _where(params, query)
    wheres = [where]
    if query:
        wheres.append(_where(params, query, words=False)[0])
        if params.has_filters:
            wheres.append(_where(SearchParams(), query)[0])
    rows = _estimate_rows(wheres, args)
    if len(rows) != len(wheres):  # a branch the planner dropped: the total for each
        return sum(rows), sum(rows), sum(rows)
    matches = rows[0]
    candidates = rows[1] if query else matches
    return matches, candidates, rows[2] if len(rows) > 2 else matches


def _scale_to_estimate(stats: _Stats, query: ParsedQuery | None, *, estimate: float) -> None:
    """Beyond the cap: the total becomes an estimate, and each facet count its share of the
    capped set (a sample of the matches) scaled to that estimate.

    A phrase's estimate is that of its words, times the share of the checked rows that hold it.
    The estimate never falls below what was counted.
    """
    sample = stats.counted
    if query and query.has_phrase and stats.seen:
        estimate = estimate * sample / stats.seen
    estimate = max(estimate, sample)
    factor = estimate / sample
    stats.estimated = True
    stats.total = _round_estimate(estimate)
    for facet, values in stats.counts.items():
        if facet in stats.own_sets:  # counted over its own set: `_scale_own_sets`
            continue
        for key, n in values.items():
            values[key] = _round_estimate(n * factor)
    if "company" not in stats.own_sets:
        for slug, (name, n) in stats.companies.items():
            stats.companies[slug] = (name, _round_estimate(n * factor))


def _page_ids(
    params: SearchParams,
    query: ParsedQuery | None,
    *,
    capped: bool,
    offset: int,
    limit: int,
    scan_rows: int = 0,
) -> list[int]:
    columns = "p.id, p.published_at"
    if params.effective_sort == "relevance" and query:
        # Rank a bounded candidate set, never every match.
        m_sql, args, _ = _matches(
            params,
            query,
            columns + ", p.search_vector, p.title",
            RANK_CANDIDATES,
            scan_rows=scan_rows,
        )
        args.update(_rank_args(params.q, query))
        sql = f"""
            /* search:page */
            WITH c AS MATERIALIZED ({m_sql})
            SELECT id FROM c WHERE hit
            ORDER BY {RANK_SQL} DESC, published_at DESC, id DESC
            OFFSET %(offset)s LIMIT %(limit)s
        """  # noqa: S608 - constants and fixed clauses; values are parameters
    elif capped and not (query and query.has_phrase):
        # Many matches: walking the date index finds a page after a few rows.
        where, args = _where(params, query)
        sql = f"""
            /* search:page */
            SELECT p.id FROM jobs_posting p WHERE {where}
            ORDER BY p.published_at DESC, p.id DESC
            OFFSET %(offset)s LIMIT %(limit)s
        """  # noqa: S608 - constants and fixed clauses; values are parameters
    else:
        # Few matches (known from the capped count): collect them through the text index, then
        # sort. A rare word would otherwise walk the whole date index looking for it.
        m_sql, args, _ = _matches(params, query, columns, COUNT_CAP + 1, scan_rows=scan_rows)
        sql = f"""
            /* search:page */
            WITH m AS MATERIALIZED ({m_sql})
            SELECT id FROM m WHERE hit ORDER BY published_at DESC, id DESC
            OFFSET %(offset)s LIMIT %(limit)s
        """  # noqa: S608 - constants and fixed clauses; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, {**args, "offset": offset, "limit": limit})
        return [row[0] for row in cursor.fetchall()]


# What a result card shows (templates/jobs/board/posting_list.html, the Save link): the rows of a
# search page load only these columns, not the description (the snippet is cut from it in SQL),
# the stored search vector, the company's description or the summary: the card's summary line is
# kept per posting version (`jobs.summary.web.summary_lines`, which reads the summaries of the
# postings whose line it has not kept yet).
CARD_FIELDS = (
    "id", "title", "slug", "status", "workplace", "employment_type", "level",
    "salary_min", "salary_max", "salary_currency", "salary_period", "salary_eur_min", "salary_eur_max",
    "published_at", "expires_at", "updated_at", "summary_version",
    "company__id", "company__name", "company__slug", "company__logo_updated_at",
)  # fmt: skip


def _hits(
    params: SearchParams, query: ParsedQuery | None, ids: list[int], *, full_rows: bool = False
) -> list[Hit]:
    if not ids:
        return []
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    postings = Posting.objects.filter(id__in=ids).select_related("company")
    if full_rows:
        postings = postings.defer("search_vector")
    else:  # whether it has a summary, without reading it (see `summary_lines`)
        postings = postings.only(*CARD_FIELDS).annotate(
            has_summary=RawSQL("jobs_posting.summary IS NOT NULL", [], output_field=BooleanField())
        )
    # Each posting's (city, country) pairs in the same query as the rows (Location's order).
    postings = postings.annotate(
        location_pairs=RawSQL(
            """SELECT coalesce(array_agg(ARRAY[l.city, l.country::text] ORDER BY l.country, l.city),
                               '{}')
               FROM jobs_posting_locations pl JOIN jobs_location l ON l.id = pl.location_id
               WHERE pl.posting_id = jobs_posting.id""",
            [],
        )
    )
    opts = f"StartSel={_HL_START}, StopSel={_HL_STOP}"
    snippet_opts = f'{opts}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'
    if query:
        tsq = "%s::tsquery"
        postings = postings.annotate(
            title_hl=RawSQL(  # noqa: S611 - constants; values are parameters
                f"ts_headline('{TS_CONFIG}', jobs_posting.title, {tsq}, %s)",
                [query.tsquery, f"{opts}, HighlightAll=true"],
            ),
            snippet_hl=RawSQL(  # noqa: S611 - constants; values are parameters
                f"ts_headline('{TS_CONFIG}', regexp_replace(jobs_posting.description, %s, ' ', 'g'),"
                f" {tsq}, %s)",
                [_TAGS_RE, query.tsquery, snippet_opts],
            ),
        )
    else:
        # No words, no snippet: a card shows one only for a search (the regexp over 20
        # descriptions cost PostgreSQL about 4 ms a page).
        postings = postings.annotate(title_hl=RawSQL("jobs_posting.title", []))
    currency = params.salary_currency or "EUR"
    if currency != "EUR":  # converted salaries: the reader's rate, in the same query
        postings = postings.annotate(
            reader_rate=RawSQL(
                "SELECT r.rate_to_eur FROM jobs_exchangerate r WHERE r.currency = %s", [currency]
            )
        )
    by_id = {p.id: p for p in postings}
    lines = summary_lines(list(by_id.values()))
    hits = []
    for pid in ids:
        posting = by_id.get(pid)
        if posting is None:
            continue
        snippet = " ".join((getattr(posting, "snippet_hl", "") or "").split())
        hit = Hit(posting, _highlight(posting.title_hl), _highlight(snippet))
        hit.currency = currency
        hit.summary_line = lines.get(pid, "")
        hits.append(hit)
    return hits


_WORD_RE = re.compile(r"[^\W_][\w+#.-]*", re.UNICODE)


def suggest_query(q: str) -> str:
    """A "did you mean" query: each word replaced by the most similar known word, or ""."""
    words = [w.lower().strip(".-") for w in _WORD_RE.findall(q) if w.lower() not in ("or", "and")]
    words = [w for w in words if len(w) >= 3][:8]
    if not words:
        return ""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            /* search:suggest */
            SELECT w.word, t.word, similarity(t.word, w.word)
            FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, i)
            LEFT JOIN LATERAL (
                SELECT st.word FROM jobs_search_term st
                ORDER BY st.word <-> w.word LIMIT 1
            ) t ON true
            ORDER BY w.i
            """,
            [words],
        )
        rows = cursor.fetchall()
    replacements = {}
    for word, best, sim in rows:
        if best and best != word and sim is not None and sim >= 0.2:
            replacements[word] = best
    if not replacements:
        return ""

    def swap(match: re.Match) -> str:
        return replacements.get(match.group(0).lower().strip(".-"), match.group(0))

    suggestion = _WORD_RE.sub(swap, q)
    return suggestion if suggestion.lower() != q.lower() else ""


def search_postings(
    params: SearchParams, *, page: int = 1, per_page: int = PER_PAGE, full_rows: bool = False
) -> SearchResult:
    """One page of published postings for `params`, with capped count, facets and suggestion.

    A page past the end gives the last page. Runs a fixed number of queries whatever `per_page`
    (one more when this process has not kept the summary line of some of the page's postings).
    The hits' postings carry what a result card shows (`CARD_FIELDS`; the hit its summary line);
    `full_rows=True` loads whole rows (the feeds read the description and the
    summary's overview).
    """
    per_page = max(1, min(per_page, 100))
    query = parse_query(params.q)
    no_words = query is not None and query.nodes == 0
    offset = (max(1, page) - 1) * per_page
    if no_words:
        stats = _Stats(0, False, {k: {} for k in ("workplace", "type", "level", "country")}, {})
    else:
        stats = _stats(params, query, offset=offset, limit=per_page)
    total, capped = stats.total, stats.capped
    num_pages = max(1, math.ceil(stats.reachable / per_page))
    wanted = page
    page = max(1, min(page, num_pages))
    ids: list[int] = stats.ids
    ranked = params.effective_sort == "relevance" and query is not None
    date_walk = capped and not ranked and not (query and query.has_phrase)
    if total and (page != wanted or date_walk):
        offset = (page - 1) * per_page
        ids = _page_ids(
            params, query, capped=capped, offset=offset, limit=per_page, scan_rows=stats.scan_rows
        )
    hits = _hits(params, query, ids, full_rows=full_rows)
    suggestion = ""
    if params.q and total < 3:
        suggestion = suggest_query(params.q)
    return SearchResult(
        params=params, hits=hits, total=total, capped=capped, page=page, per_page=per_page,
        num_pages=num_pages, facets=_facets(params, stats.counts, stats.companies, capped),
        suggestion=suggestion, no_words=no_words, estimated=stats.estimated,
        count_cap=COUNT_CAP,
    )  # fmt: skip
