"""Browse and search the published postings.

Every path does a bounded amount of work whatever the word's frequency (see "Search at
1,000,000 postings" in DESIGN.md):

- matches are counted up to a cap (`COUNT_CAP`), and the facet counts are grouped over that same
  capped set in one pass (GROUPING SETS); beyond the cap the total is the planner's estimate
  (shown as "about 590,000") and each facet count is its share of the capped set scaled to that
  estimate (shown as "≈ 12,000"): exact counting would read every match;
- relevance ranks that same bounded candidate set, never every match (one pass gives the
  count, the facets and the page's ids), by what a job seeker means (`sql.RANK_SQL`): every word
  in the title, then in the requirements, then the description, a nice-to-have mention last;
  measured by NDCG@10 on a judged demo set (tests/jobs/board/relevance/);
- the planner's estimate (one EXPLAIN) decides how that set is found: words in a large share of
  the postings are checked on the rows, which finds the capped set after a few thousand rows,
  while fewer matches come through the GIN index, whose bitmap holds every match (`_scan_rows`);
- newest-first walks the date index when the words are common and materializes the matches when
  they are few (decided from the capped count, not from the planner's guess);
- snippets (`ts_headline`) are computed for the page's rows only.

`refresh_search_vectors()` keeps the stored `search_vector` and `countries` columns in step with
a posting, its locations and its company; callers run it after saving any of them.

The package: `params` (reading and writing the search parameters), `sql` (the queries),
`presentation` (hits, facets, totals), `index` (keeping the stored vectors and the word list).
"""

from jobs.board.search.index import (
    refresh_company_search_vectors,
    refresh_search_terms,
    refresh_search_vectors,
)
from jobs.board.search.params import (
    MAX_QUERY_LENGTH,
    PERIOD_FACTORS,
    POSTED_WITHIN_CHOICES,
    QUERY_PARAMS,
    SORT_CHOICES,
    SearchParams,
    known_currencies,
    normalize_querystring,
    parse_page,
    parse_search_params,
    summarize_querystring,
)
from jobs.board.search.presentation import (
    Facet,
    FacetValue,
    Hit,
    SearchResult,
    currency_options,
)
from jobs.board.search.sql import COUNT_CAP, PER_PAGE, parse_query, search_postings, suggest_query

__all__ = [
    "COUNT_CAP",
    "MAX_QUERY_LENGTH",
    "PERIOD_FACTORS",
    "PER_PAGE",
    "POSTED_WITHIN_CHOICES",
    "QUERY_PARAMS",
    "SORT_CHOICES",
    "Facet",
    "FacetValue",
    "Hit",
    "SearchParams",
    "SearchResult",
    "currency_options",
    "normalize_querystring",
    "known_currencies",
    "parse_page",
    "parse_query",
    "parse_search_params",
    "refresh_company_search_vectors",
    "refresh_search_terms",
    "refresh_search_vectors",
    "search_postings",
    "suggest_query",
    "summarize_querystring",
]
