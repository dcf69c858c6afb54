"""Browse and search the published postings.

Every path does a bounded amount of work whatever the word's frequency (see "Search at
1,000,000 postings" in DESIGN.md):

- matches are counted up to a cap (`COUNT_CAP`), and the facet counts are grouped over that same
  capped set in one pass (GROUPING SETS); beyond the cap the total is the planner's estimate
  (shown as "about 590,000") and each facet count is its share of the capped set scaled to that
  estimate (shown as "≈ 12,000"): exact counting would read every match;
- relevance ranks that same bounded candidate set, never every match (one pass gives the
  count, the facets and the page's ids);
- the planner's estimate (one EXPLAIN) decides how that set is found: words in a large share of
  the postings are checked on the rows, which finds the capped set after a few thousand rows,
  while fewer matches come through the GIN index, whose bitmap holds every match (`_scan_rows`);
- newest-first walks the date index when the words are common and materializes the matches when
  they are few (decided from the capped count, not from the planner's guess);
- snippets (`ts_headline`) are computed for the page's rows only.

`refresh_search_vectors()` keeps the stored `search_vector` and `countries` columns in step with
a posting, its locations and its company; callers run it after saving any of them.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_countries import countries as all_countries

from config.db_router import public_read_connection as connection  # a replica for public reads
from jobs.models import EmploymentType, Level, Posting, Workplace

COUNT_CAP = 1_000  # counts and facets are exact up to this many matches, estimated beyond
RANK_CANDIDATES = COUNT_CAP + 1  # relevance ranks the capped set of matches, never every match
PHRASE_WINDOW = 1_000  # a phrase is checked in at most this many postings holding its words
# Measured at 1,000,000 postings: checking `@@` on a row costs about 1.2 µs, adding a GIN entry to
# a bitmap about 0.4 µs (see `_scan_rows`).
INDEX_ENTRIES_PER_ROW_CHECK = 3
SCAN_SLACK = 3  # a scan reads at most this many times the rows it is expected to need
MAX_QUERY_LENGTH = 200
PER_PAGE = 20
REFRESH_BATCH = 5_000
POSTED_WITHIN_CHOICES = [(1, "Past 24 hours"), (3, "Past 3 days"), (7, "Past week"),
                         (14, "Past 2 weeks"), (30, "Past month")]  # fmt: skip
SORT_CHOICES = [("relevance", "Most relevant"), ("newest", "Newest")]
COUNTRY_FACET_SIZE = 12  # values shown, besides the selected ones
COMPANY_FACET_SIZE = 10
# Salaries are compared per year.
PERIOD_FACTORS = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}
TS_CONFIG = "english"
# Ranking weights for D, C, B, A: title (A) counts most, then company/locations/team (B), then
# the description (C).
RANK_WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"
# Markers that cannot occur in text; replaced by <mark> after the text is escaped.
_HL_START, _HL_STOP = "\x02", "\x03"
_TAGS_RE = r"<[^>]+>"


# --------------------------------------------------------------------------- search vectors


@functools.cache
def _country_names_json() -> str:
    return json.dumps({code: str(name) for code, name in all_countries})


@functools.cache
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _ in all_countries)


@functools.lru_cache(maxsize=512)
def _country_name(code: str) -> str:
    return str(all_countries.name(code) or code)


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


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    countries: tuple[str, ...] = ()
    location: str = ""  # a city (or a country name, mapped to `countries`)
    workplaces: tuple[str, ...] = ()
    employment_types: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()  # company slugs
    min_salary: int | None = None  # per year
    posted_within: int | None = None  # days
    sort: str = ""  # "relevance" | "newest"; empty means relevance with words, else newest

    @property
    def effective_sort(self) -> str:
        if self.sort in ("relevance", "newest"):
            return self.sort if self.q else "newest"
        return "relevance" if self.q else "newest"

    @property
    def has_filters(self) -> bool:
        return bool(
            self.countries or self.location or self.workplaces or self.employment_types
            or self.levels or self.companies or self.min_salary or self.posted_within
        )  # fmt: skip

    def querystring(self, page: int | None = None, **changes: Any) -> str:
        """The URL query for these parameters (with `changes` applied), for links."""
        params = replace(self, **changes) if changes else self
        pairs: list[tuple[str, Any]] = []
        if params.q:
            pairs.append(("q", params.q))
        if params.location:
            pairs.append(("location", params.location))
        pairs += [("country", v) for v in params.countries]
        pairs += [("workplace", v) for v in params.workplaces]
        pairs += [("type", v) for v in params.employment_types]
        pairs += [("level", v) for v in params.levels]
        pairs += [("company", v) for v in params.companies]
        if params.min_salary:
            pairs.append(("salary", params.min_salary))
        if params.posted_within:
            pairs.append(("posted", params.posted_within))
        if params.sort:
            pairs.append(("sort", params.sort))
        if page and page > 1:
            pairs.append(("page", page))
        return urlencode(pairs)

    @property
    def querystring_q_only(self) -> str:
        """The URL query keeping only the words and the sort order: "clear the filters"."""
        return SearchParams(q=self.q, sort=self.sort).querystring()

    @property
    def summary(self) -> str:
        """The search in words, e.g. "“python” · Remote · Germany", for lists of saved searches."""
        parts = [f"“{self.q}”"] if self.q else []
        parts += [label for label, _ in self.active_filters()]
        if self.sort:
            parts.append(f"sorted by {dict(SORT_CHOICES)[self.sort].lower()}")
        return " · ".join(parts) or "All postings"

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, URL query without it) for each filter value in use: the removable chips."""
        chips: list[tuple[str, str]] = []

        def drop(attr: str, value: Any) -> str:
            current = getattr(self, attr)
            if isinstance(current, tuple):
                return self.querystring(**{attr: tuple(v for v in current if v != value)})
            return self.querystring(**{attr: SearchParams.__dataclass_fields__[attr].default})

        if self.location:
            chips.append((f"In {self.location}", drop("location", self.location)))
        chips += [(_country_name(v), drop("countries", v)) for v in self.countries]
        chips += [(Workplace(v).label, drop("workplaces", v)) for v in self.workplaces]
        chips += [
            (EmploymentType(v).label, drop("employment_types", v)) for v in self.employment_types
        ]
        chips += [(Level(v).label, drop("levels", v)) for v in self.levels]
        chips += [(f"Company: {v}", drop("companies", v)) for v in self.companies]
        if self.min_salary:
            chips.append((f"At least {self.min_salary:,} a year", drop("min_salary", None)))
        if self.posted_within:
            label = dict(POSTED_WITHIN_CHOICES)[self.posted_within]
            chips.append((label, drop("posted_within", None)))
        return chips


_SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{1,220}$")


def _clean_text(value: str, limit: int) -> str:
    value = value.replace("\x00", " ")
    value = "".join(ch for ch in value if ch.isprintable() or ch == " ")
    return " ".join(value.split())[:limit].strip()


def _multi(querydict: Mapping, key: str) -> list[str]:
    if hasattr(querydict, "getlist"):
        values = querydict.getlist(key)
    else:
        raw = querydict.get(key)
        values = raw if isinstance(raw, list | tuple) else ([raw] if raw is not None else [])
    out = []
    for v in values:
        for part in str(v).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def parse_search_params(querydict: Mapping) -> tuple[SearchParams, list[str]]:
    """Read the search parameters of a GET query; invalid values are dropped with a notice."""
    notices: list[str] = []
    raw_q = str(querydict.get("q", "") or "")
    q = _clean_text(raw_q, MAX_QUERY_LENGTH)
    if len(" ".join(raw_q.split())) > MAX_QUERY_LENGTH:
        notices.append(f"Your search was shortened to its first {MAX_QUERY_LENGTH} characters.")

    def choices(key: str, label: str, valid: Iterable[str]) -> tuple[str, ...]:
        valid = set(valid)
        good, bad = [], []
        for v in _multi(querydict, key)[:20]:
            (good if v in valid else bad).append(v)
        if bad:
            notices.append(f"Ignored unknown {label}: {', '.join(b[:40] for b in bad[:3])}.")
        return tuple(good)

    countries = choices("country", "country", _country_codes())
    workplaces = choices("workplace", "workplace", Workplace.values)
    types = choices("type", "employment type", EmploymentType.values)
    levels = choices("level", "level", Level.values)

    companies = []
    for v in _multi(querydict, "company")[:20]:
        if _SLUG_RE.match(v):
            companies.append(v)
        else:
            notices.append("Ignored an invalid company.")
    location = _clean_text(str(querydict.get("location", "") or ""), 100)
    if location:
        code = _country_code(location)
        if code:
            location = ""
            if code not in countries:
                countries = (*countries, code)

    min_salary = None
    raw_salary = str(querydict.get("salary", "") or "").strip().replace(",", "").replace("_", "")
    if raw_salary:
        try:
            min_salary = int(raw_salary)
            if not 0 < min_salary <= 100_000_000:
                raise ValueError
        except ValueError:
            min_salary = None
            notices.append("Ignored the minimum salary: it must be a whole number, such as 50000.")

    posted_within = None
    raw_posted = str(querydict.get("posted", "") or "").strip()
    if raw_posted:
        if raw_posted.isdigit() and int(raw_posted) in dict(POSTED_WITHIN_CHOICES):
            posted_within = int(raw_posted)
        else:
            notices.append("Ignored the posting date filter: choose one of the listed periods.")

    sort = str(querydict.get("sort", "") or "").strip()
    if sort and sort not in dict(SORT_CHOICES):
        notices.append("Ignored the sort order: choose relevance or newest.")
        sort = ""

    params = SearchParams(
        q=q, countries=countries, location=location, workplaces=workplaces,
        employment_types=types, levels=levels, companies=tuple(companies),
        min_salary=min_salary, posted_within=posted_within, sort=sort,
    )  # fmt: skip
    return params, notices


def summarize_querystring(querystring: str) -> str:
    """A /jobs/ URL query in words (`SearchParams.summary`); values it would ignore are left out."""
    from django.http import QueryDict

    params, _notices = parse_search_params(QueryDict(querystring))
    return params.summary


def _country_code(text: str) -> str:
    text = text.strip()
    if len(text) == 2 and text.upper() in _country_codes():
        return text.upper()
    return all_countries.by_name(text) or ""


def parse_page(value: Any) -> int:
    try:
        page = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return max(1, min(page, 1_000_000))


# --------------------------------------------------------------------------- results


@dataclass
class FacetValue:
    value: str
    label: str
    count: int | None  # None: not counted (see SearchResult.capped)
    selected: bool


@dataclass
class Facet:
    key: str  # the URL parameter
    label: str
    values: list[FacetValue]


@dataclass
class Hit:
    posting: Posting
    title_html: SafeString
    snippet_html: SafeString

    @functools.cached_property
    def locations(self) -> list[str]:
        """ "City, Country" of each location, from the rows query's `location_pairs` (one query
        for the page, not a prefetch)."""
        return [
            ", ".join(part for part in (city, _country_name(country)) if part)
            for city, country in getattr(self.posting, "location_pairs", None) or []
        ]

    @functools.cached_property
    def posted_ago(self) -> str:
        """ "today", "yesterday", "3 days ago", "2 months ago" (cheaper than naturaltime)."""
        if not self.posting.published_at:
            return ""
        days = (timezone.now() - self.posting.published_at).days
        if days <= 0:
            return "today"
        if days == 1:
            return "yesterday"
        if days < 60:
            return f"{days} days ago"
        return f"{days // 30} months ago"

    @functools.cached_property
    def salary(self) -> str:
        p = self.posting
        low, high = p.salary_min, p.salary_max
        if low is None and high is None:
            return ""
        if low is not None and high is not None:
            amount = f"{low:,}" if low == high else f"{low:,}–{high:,}"
        else:
            amount = f"from {low:,}" if low is not None else f"up to {high:,}"
        return f"{p.salary_currency} {amount} {p.get_salary_period_display()}".strip()


@dataclass
class SearchResult:
    params: SearchParams
    hits: list[Hit]
    total: int  # exact up to COUNT_CAP, the planner's estimate beyond (see `estimated`)
    capped: bool  # more than COUNT_CAP matches: pages reach the first COUNT_CAP of them
    page: int
    per_page: int
    num_pages: int
    facets: list[Facet] = field(default_factory=list)
    suggestion: str = ""  # a "did you mean" query
    no_words: bool = False  # the query had no searchable words (only operators or stop words)
    estimated: bool = False  # `total` and the facet counts are estimates

    @property
    def total_display(self) -> str:
        if self.estimated:
            return f"about {self.total:,}"
        return f"{self.total:,}+" if self.capped else f"{self.total:,}"

    @property
    def count_cap(self) -> int:
        return COUNT_CAP

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def end_index(self) -> int:
        return self.start_index + len(self.hits) - 1 if self.hits else 0

    @property
    def page_links(self) -> list[tuple[int | None, str]]:
        """(page number or None for a gap, URL query) around the current page."""
        wanted = {1, self.num_pages, *range(self.page - 2, self.page + 3)}
        pages = sorted(n for n in wanted if 1 <= n <= self.num_pages)
        links: list[tuple[int | None, str]] = []
        for n in pages:
            if links and links[-1][0] is not None and n - links[-1][0] > 1:
                links.append((None, ""))
            links.append((n, self.params.querystring(page=n)))
        return links

    @property
    def previous_query(self) -> str:
        return self.params.querystring(page=self.page - 1)

    @property
    def next_query(self) -> str:
        return self.params.querystring(page=self.page + 1)

    @property
    def suggestion_query(self) -> str:
        return self.params.querystring(q=self.suggestion)

    @property
    def browsable_limit_reached(self) -> bool:
        """More matches exist than the pages reach: the reader should refine the search."""
        return self.num_pages * self.per_page < self.total or self.capped


@dataclass(frozen=True)
class ParsedQuery:
    """The words of a search as PostgreSQL reads them (websearch_to_tsquery after unaccent)."""

    tsquery: str  # the tsquery's text, passed back as a constant so the planner sees the words
    nodes: int  # 0: only operators or stop words
    approx: str  # the same with phrase operators turned into AND (exact on the GIN index)

    @property
    def has_phrase(self) -> bool:
        return self.approx != self.tsquery


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


def _where(
    params: SearchParams, query: ParsedQuery | None, *, words: bool = True
) -> tuple[str, dict[str, Any]]:
    """WHERE clause over jobs_posting (alias p) and its parameters (`words=False`: the filters only).

    For a phrase, the text condition is the phrase's words ANDed (the GIN index answers it without
    reading the rows); `_matches` then checks the phrase on a bounded number of rows.
    """
    # Published and not past its end (the expiry scanner may not have run yet).
    clauses = ["p.status = 'published'", "(p.expires_at IS NULL OR p.expires_at > now())"]
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
        factors = " ".join(f"WHEN '{k}' THEN {v}" for k, v in PERIOD_FACTORS.items())
        clauses.append(
            "coalesce(p.salary_max, p.salary_min)::bigint"
            f" * (CASE p.salary_period {factors} ELSE 1 END) >= %(min_salary)s"
        )
        args["min_salary"] = params.min_salary
    if params.posted_within:
        clauses.append("p.published_at >= %(since)s")
        args["since"] = timezone.now() - timedelta(days=params.posted_within)
    return " AND ".join(clauses), args


def _matches(
    params: SearchParams, query: ParsedQuery | None, columns: str, limit: int, *, scan_rows: int = 0
) -> tuple[str, dict[str, Any], int]:
    """SQL of at most `limit` matching rows (a phrase: its window) with `columns` and a `hit` column,
    its parameters, and the number of rows it asks for.

    Without a phrase every row is a hit. With one, the rows are the first `PHRASE_WINDOW` rows
    holding all the phrase's words, and `hit` says whether the phrase itself is there: checking a
    phrase reads the row, so the number of rows checked is bounded.

    With `scan_rows` the words are checked on the rows instead of through the GIN index, on at most
    that many rows that pass the filters (see `_scan_rows`).
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
    sql = f"SELECT {columns}, {hit} AS hit FROM {source} LIMIT {limit}"  # noqa: S608 - constants and fixed clauses
    return sql, args, limit


def _scan_rows(estimate: int, candidates: int) -> int:
    """How many filtered rows to read when checking the words row by row is cheaper than the index;
    0 when it is not.

    Finding the first `COUNT_CAP` + 1 matches by reading rows costs about (COUNT_CAP + 1) / share
    row checks (share: the planner's estimated share of the candidates that match); through the
    GIN index it costs building a bitmap of every match first. A row check costs about as much as
    `INDEX_ENTRIES_PER_ROW_CHECK` index entries, so reading wins when the matches are that many
    times more than the rows to read. PostgreSQL's own costs underrate the bitmap: at 1,000,000
    postings it chose a 70 ms bitmap of 168,000 entries over a 7 ms scan. The rows read are bounded
    at `SCAN_SLACK` times the expected number, so an estimate that is far too high costs one bounded
    scan and then the index.
    """
    if not estimate or not candidates:
        return 0
    share = min(1.0, estimate / candidates)
    rows_to_read = (COUNT_CAP + 1) / share
    if estimate < INDEX_ENTRIES_PER_ROW_CHECK * rows_to_read:
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
        estimate, candidates = _estimate_matches(params, query)
        scan_rows = _scan_rows(estimate, candidates)
    stats = _stats_pass(params, query, offset=offset, limit=limit, scan_rows=scan_rows)
    if stats is None:  # the bounded scan found fewer matches than estimated: use the index
        scan_rows = 0
        stats = _stats_pass(params, query, offset=offset, limit=limit, scan_rows=0)
    stats.scan_rows = scan_rows
    if stats.capped and stats.total:
        if estimate is None:
            estimate, _ = _estimate_matches(params, query)
        _scale_to_estimate(stats, query, estimate=estimate)
    return stats


def _stats_pass(
    params: SearchParams, query: ParsedQuery | None, *, offset: int, limit: int, scan_rows: int
) -> _Stats | None:
    """The stats query; None when a scan (`scan_rows`) ended before it found the capped set."""
    ranked = params.effective_sort == "relevance" and query is not None
    columns = (
        "p.id, p.published_at, p.workplace, p.employment_type, p.level, p.company_id, p.countries"
    )
    if ranked:
        columns += ", p.search_vector"
        order = f"ts_rank('{RANK_WEIGHTS}', search_vector, %(tsq)s::tsquery) DESC, published_at DESC, id DESC"
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
    sql = f"""
        /* search:stats */
        WITH m AS MATERIALIZED ({m_sql}), g AS (
            SELECT GROUPING(workplace, employment_type, level, company_id) AS gid,
                   workplace, employment_type, level, company_id, NULL::varchar AS country,
                   count(*) FILTER (WHERE hit) AS n, count(*) AS seen
            FROM m GROUP BY GROUPING SETS ((workplace), (employment_type), (level),
                                           (company_id), ())
            UNION ALL
            SELECT -1, NULL, NULL, NULL, NULL, c.country, count(*), count(*)
            FROM (SELECT unnest(countries) AS country FROM m WHERE hit) AS c GROUP BY c.country
        )
        , shown AS (
            SELECT * FROM g WHERE gid <> 14
            UNION ALL
            (SELECT * FROM g WHERE gid = 14 AND n > 0
             ORDER BY {selected_first} n DESC, company_id LIMIT {company_rows})
        )
        SELECT g.gid, g.workplace, g.employment_type, g.level, g.country, g.n, g.seen,
               co.name, co.slug,
               (SELECT array_agg(id) FROM (SELECT id FROM m WHERE hit ORDER BY {order}
                                           OFFSET %(offset)s LIMIT %(limit)s) AS page) AS ids
        FROM shown AS g LEFT JOIN jobs_company co ON co.id = g.company_id
    """  # noqa: S608 - constants and fixed clauses; values are parameters
    args = {**args, "offset": offset, "limit": limit}
    counts: dict[str, dict[str, int]] = {k: {} for k in ("workplace", "type", "level", "country")}
    companies: dict[str, tuple[str, int]] = {}
    total, seen, ids = 0, 0, []
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        rows = cursor.fetchall()
    # GROUPING() bits, left to right: workplace=8, employment_type=4, level=2, company_id=1.
    for gid, workplace, etype, level, country, n, row_seen, co_name, co_slug, page_ids in rows:
        ids = page_ids or []
        if gid == 15:
            total, seen = n, row_seen
        elif not n:
            continue
        elif gid == -1:
            counts["country"][country] = n
        elif gid == 7:
            counts["workplace"][workplace] = n
        elif gid == 11:
            counts["type"][etype] = n
        elif gid == 13:
            counts["level"][level or ""] = n
        elif gid == 14 and co_slug:
            companies[co_slug] = (co_name, n)
    if scan_rows and seen < window:
        return None
    capped = total > COUNT_CAP or bool(query and query.has_phrase and seen >= PHRASE_WINDOW)
    stats = _Stats(min(total, COUNT_CAP), capped, counts, companies, ids, counted=total, seen=seen)
    stats.reachable = stats.total
    return stats


def _round_estimate(n: float) -> int:
    """Two significant digits: an estimate should not look more precise than it is."""
    if n < 100:
        return max(1, round(n))
    digits = len(str(int(n))) - 2
    return int(round(n, -digits))


def _estimate_matches(params: SearchParams, query: ParsedQuery | None) -> tuple[int, int]:
    """The planner's estimates (its statistics: one EXPLAIN, no reading) of the matching rows and
    of the rows that pass the filters alone."""
    where, args = _where(params, query)
    sql = f"SELECT 1 FROM jobs_posting p WHERE {where}"  # noqa: S608 - constants and fixed clauses
    if query:
        filters, _ = _where(params, query, words=False)
        sql += f" UNION ALL SELECT 1 FROM jobs_posting p WHERE {filters}"  # noqa: S608 - constants and fixed clauses
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", args)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    plan = plan[0]["Plan"]
    branches = plan.get("Plans", []) if plan["Node Type"] == "Append" else []
    if len(branches) != 2:  # no words (or a branch the planner dropped)
        return int(plan["Plan Rows"]), int(plan["Plan Rows"])
    matches, candidates = (int(branch["Plan Rows"]) for branch in branches)
    return matches, candidates


def _scale_to_estimate(stats: _Stats, query: ParsedQuery | None, *, estimate: int) -> None:
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
    for values in stats.counts.values():
        for key, n in values.items():
            values[key] = _round_estimate(n * factor)
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
            params, query, columns + ", p.search_vector", RANK_CANDIDATES, scan_rows=scan_rows
        )
        sql = f"""
            /* search:page */
            WITH c AS MATERIALIZED ({m_sql})
            SELECT id FROM c WHERE hit
            ORDER BY ts_rank('{RANK_WEIGHTS}', search_vector, %(tsq)s::tsquery) DESC,
                     published_at DESC, id DESC
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


def _highlight(raw: str | None) -> SafeString:
    """Escape ts_headline output and turn its markers into <mark>."""
    text = html.unescape(raw or "")
    text = escape(text).replace(_HL_START, "<mark>").replace(_HL_STOP, "</mark>")
    return mark_safe(text)  # noqa: S308 - escaped above


def _hits(params: SearchParams, query: ParsedQuery | None, ids: list[int]) -> list[Hit]:
    if not ids:
        return []
    from django.db.models.expressions import RawSQL

    postings = Posting.objects.filter(id__in=ids).select_related("company")
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
        postings = postings.annotate(
            title_hl=RawSQL("jobs_posting.title", []),
            snippet_hl=RawSQL(
                "left(regexp_replace(jobs_posting.description, %s, ' ', 'g'), 240)", [_TAGS_RE]
            ),
        )
    by_id = {p.id: p for p in postings}
    hits = []
    for pid in ids:
        posting = by_id.get(pid)
        if posting is None:
            continue
        snippet = " ".join((posting.snippet_hl or "").split())
        hits.append(Hit(posting, _highlight(posting.title_hl), _highlight(snippet)))
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


def _top_values(
    found: dict[str, tuple[str, int]],
    selected: tuple[str, ...],
    size: int,
    label_of: Callable[[str], str] = str,
) -> list[FacetValue]:
    """The `size` values with the most matches (ties by label), then the selected values among
    the rest, each with its count (0 when no match has it: `label_of` then names it)."""
    ranked = sorted(found.items(), key=lambda kv: (-kv[1][1], kv[1][0]))
    values = [FacetValue(v, label, n, v in selected) for v, (label, n) in ranked[:size]]
    shown = {v.value for v in values}
    for v in selected:
        if v not in shown:
            label, n = found.get(v, (label_of(v), 0))
            values.append(FacetValue(v, label, n, True))
    return values


def _facets(params: SearchParams, counts: dict, companies: dict, capped: bool) -> list[Facet]:
    def enum_facet(key: str, label: str, choices, selected: tuple[str, ...]) -> Facet:
        values = []
        for value, name in choices:
            n = counts[key].get(value, 0)
            values.append(FacetValue(value, str(name), n, value in selected))
        values = [v for v in values if v.count or v.selected]
        return Facet(key, label, values)

    facets = [
        enum_facet("workplace", "Workplace", Workplace.choices, params.workplaces),
        enum_facet("type", "Employment type", EmploymentType.choices, params.employment_types),
        enum_facet("level", "Level", Level.choices, params.levels),
    ]
    countries = {code: (_country_name(code), n) for code, n in counts["country"].items()}
    country_values = _top_values(countries, params.countries, COUNTRY_FACET_SIZE, _country_name)
    facets.append(Facet("country", "Country", country_values))
    company_values = _top_values(companies, params.companies, COMPANY_FACET_SIZE)
    facets.append(Facet("company", "Company", company_values))
    return facets


def search_postings(
    params: SearchParams, *, page: int = 1, per_page: int = PER_PAGE
) -> SearchResult:
    """One page of published postings for `params`, with capped count, facets and suggestion.

    A page past the end gives the last page. Runs a fixed number of queries whatever `per_page`.
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
    hits = _hits(params, query, ids)
    suggestion = ""
    if params.q and total < 3:
        suggestion = suggest_query(params.q)
    return SearchResult(
        params=params, hits=hits, total=total, capped=capped, page=page, per_page=per_page,
        num_pages=num_pages, facets=_facets(params, stats.counts, stats.companies, capped),
        suggestion=suggestion, no_words=no_words, estimated=stats.estimated,
    )  # fmt: skip
