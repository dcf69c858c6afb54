"""What a search page shows: hits (highlighted title and snippet, locations, salary), facets
with their counts, the result's totals and page links. Built from rows; runs no query."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jobs.board.search.params import SearchParams, _country_name, known_currencies
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

    @functools.cached_property
    def rows(self) -> list[dict[str, Any]]:
        """What the filter list shows of each value (_search_filters.html), computed once and
        as dicts (see `Hit.card`): `|intcomma` and `|pluralize` per value cost more there than
        the rest of the list."""
        return [
            {
                "input_id": f"f-{self.key}-{v.value}",
                "name": self.key,
                "value": v.value,
                "label": v.label,
                "selected": v.selected,
                "count_text": "" if v.count is None else f"{v.count:,}",  # "" when not counted
                "jobs_text": f"{v.count} job" if v.count == 1 else f"{v.count} jobs",
            }
            for v in self.values
        ]

    @functools.cached_property
    def shown(self) -> tuple:
        """Every value the facet's list shows: its key for `{% kept %}`."""
        return (self.key, self.label, tuple(tuple(row.values()) for row in self.rows))


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
            for city, country in self._location_pairs
        ]

    @functools.cached_property
    def card(self) -> dict[str, Any]:
        """The words of the result card (posting_list.html), computed once. A dict, not
        attributes: the template engine tries a key before an attribute, and a card that reads
        only dict keys renders in half the time of one that reads the posting, its company and
        this hit, with {% url %}, methods and filters. The logo and the facts (company,
        locations, workplace, type, level, salary) are `{% kept %}` blocks: rendered from this
        hit's properties only when no render of the same values is kept, so their keys hold
        every value they show."""
        p = self.posting
        company = p.company
        return {
            "hit": self,
            "posting": p,
            "pk": p.pk,
            "url": p.get_absolute_url(),
            "title_html": self.title_html,
            "snippet_html": self.snippet_html,
            "summary_line": self.summary_line,
            # What `published_at|date:'c'` gives: the time in the current time zone, ISO 8601.
            "published_iso": timezone.localtime(p.published_at).isoformat()
            if p.published_at
            else "",
            "posted_ago": self.posted_ago,
            "logo_key": (company.slug, company.name, company.logo_updated_at),
            "facts_key": (
                company.slug,
                company.name,
                tuple(map(tuple, self._location_pairs)),
                p.workplace,
                p.employment_type,
                p.level,
                p.salary_min,
                p.salary_max,
                p.salary_currency,
                p.salary_period,
                p.salary_eur_min,
                p.salary_eur_max,
                self.currency,
                getattr(p, "reader_rate", None),
            ),  # fmt: skip
        }

    @property
    def _location_pairs(self) -> list:
        return getattr(self.posting, "location_pairs", None) or []

    # The kept blocks' words (see `card`).
    @functools.cached_property
    def company_url(self) -> str:
        return self.posting.company.get_absolute_url()

    @functools.cached_property
    def locations_text(self) -> str:
        return " · ".join(self.locations)

    @functools.cached_property
    def workplace_label(self) -> str:
        return str(self.posting.get_workplace_display())

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
    summary_line: str = ""  # jobs.summary.web.summary_lines

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

    def cards(self, *, select_url: str, selected_id: int | None) -> list[dict[str, Any]]:
        """The hits' cards (`Hit.card`) for one request: `push_url` is `select_url` (the list's
        URL ending in "selected=") with the posting's id, `selected` whether it is the posting
        shown beside the list."""
        cards = []
        for hit in self.hits:
            card = hit.card
            card["push_url"] = f"{select_url}{card['pk']}"
            card["selected"] = card["pk"] == selected_id
            # Every value the kept card shows (posting_list.html), the logo's and facts' keys too.
            card["key"] = (
                card["pk"], card["url"], card["push_url"], card["selected"],
                card["title_html"], card["snippet_html"], card["summary_line"],
                card["published_iso"], card["posted_ago"], card["logo_key"], card["facts_key"],
            )  # fmt: skip
            cards.append(card)
        return cards

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


def currency_options(params: SearchParams, default: str = "EUR") -> list[dict[str, Any]]:
    """The currency list of the filters: the reader's default currency is sent as no value (a
    default stays a default in the page's links)."""
    chosen = params.salary_currency or default
    return [
        {"value": "" if code == default else code, "code": code, "selected": code == chosen}
        for code in known_currencies()
    ]


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
