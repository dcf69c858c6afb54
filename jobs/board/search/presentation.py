"""What a search page shows: hits (highlighted title and snippet, locations, salary), facets
with their counts, the result's totals and page links. Built from rows; runs no query."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jobs.board.search.params import SearchParams, _country_name
from jobs.common import salary_text, yearly_amount_text
from jobs.models import EmploymentType, Level, Posting, Workplace

COUNTRY_FACET_SIZE = 12  # values shown, besides the selected ones
COMPANY_FACET_SIZE = 10
# Markers that cannot occur in text; replaced by <mark> after the text is escaped.
_HL_START, _HL_STOP = "\x02", "\x03"


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

    currency: str = "EUR"  # the reader's currency for converted salaries

    @functools.cached_property
    def salary(self) -> str:
        """The range as stated, with its currency (none stated reads as EUR)."""
        p = self.posting
        currency = p.salary_currency or "EUR"
        return salary_text(p.salary_min, p.salary_max, currency, p.salary_period)

    @functools.cached_property
    def salary_converted(self) -> str:
        """The range as a yearly amount in the reader's currency ("≈ EUR 27,000–36,000 a year"),
        when it is stated in another currency or period; "" otherwise or without a rate."""
        p = self.posting
        same_currency = (p.salary_currency or "EUR") == self.currency
        if same_currency and p.salary_period == "year":
            return ""
        rate = getattr(p, "reader_rate", None) if self.currency != "EUR" else 1
        if not rate or (p.salary_eur_min is None and p.salary_eur_max is None):
            return ""

        def convert(eur: int | None) -> int | None:
            return None if eur is None else int(round(float(eur) / float(rate), -3))

        low, high = convert(p.salary_eur_min), convert(p.salary_eur_max)
        return "≈ " + yearly_amount_text(low, high, self.currency)

    @functools.cached_property
    def tags(self) -> list[str]:
        """Employment type and level, each once ("Internship", not "Internship · Internship")."""
        labels = [self.posting.get_employment_type_display()]
        if self.posting.level:
            labels.append(self.posting.get_level_display())
        return list(dict.fromkeys(str(label) for label in labels))


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
    count_cap: int = 0  # the cap the counts were exact up to (sql.COUNT_CAP)

    @property
    def total_display(self) -> str:
        if self.estimated:
            return f"about {self.total:,}"
        return f"{self.total:,}+" if self.capped else f"{self.total:,}"

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


def _highlight(raw: str | None) -> SafeString:
    """Escape ts_headline output and turn its markers into <mark>."""
    text = html.unescape(raw or "")
    text = escape(text).replace(_HL_START, "<mark>").replace(_HL_STOP, "</mark>")
    return mark_safe(text)  # noqa: S308 - escaped above


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
