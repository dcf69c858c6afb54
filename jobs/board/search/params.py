"""The search's parameters: one definition (`SearchParams`), read from a GET query
(`parse_search_params`), written back as a URL query and shown in words.

This module is the only place that knows the names of the /jobs/ query parameters
(`QUERY_PARAMS`). A saved search stores `normalize_querystring(...)` of the search it was made
from, and its digest and "see the whole search" link read that query back with
`parse_search_params`: the same filters, the same results.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django_countries import countries as all_countries

from config.params import parse_int
from jobs.common import PERIOD_FACTORS  # noqa: F401 - re-exported
from jobs.models import EmploymentType, Level, Workplace

MAX_QUERY_LENGTH = 200
# The URL query parameters of /jobs/ (besides "page"), in the order `querystring()` writes them.
QUERY_PARAMS = ("q", "location", "country", "workplace", "type", "level", "company", "salary",
                "currency", "posted", "sort")  # fmt: skip
MAX_SALARY = 100_000_000  # a year
MAX_PAGE = 1_000_000
POSTED_WITHIN_CHOICES = [(1, "Past 24 hours"), (3, "Past 3 days"), (7, "Past week"),
                         (14, "Past 2 weeks"), (30, "Past month")]  # fmt: skip
SORT_CHOICES = [("relevance", "Most relevant"), ("newest", "Newest")]


@functools.cache
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _ in all_countries)


@functools.cache
@functools.cache  # the shipped file: read once per process, not on every search page
def known_currencies() -> tuple[str, ...]:
    """The currencies a reader can compare salaries in: those of the shipped rates file (staff may
    add rates for more; postings in those are converted all the same)."""
    from jobs.salaries import DEFAULT_RATES_FILE

    with DEFAULT_RATES_FILE.open(encoding="utf-8") as f:
        return tuple(sorted(line.split(",")[0] for line in f.read().splitlines()[1:] if line))


@functools.lru_cache(maxsize=512)
def _country_name(code: str) -> str:
    return str(all_countries.name(code) or code)


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
    salary_currency: str = ""  # the currency of `min_salary` and of converted salaries; "": EUR
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
        if params.salary_currency:
            pairs.append(("currency", params.salary_currency))
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
                kept: Any = tuple(v for v in current if v != value)
                return self.querystring(None, **{attr: kept})
            default: Any = SearchParams.__dataclass_fields__[attr].default
            return self.querystring(None, **{attr: default})

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
            amount = f"{self.min_salary:,} {self.salary_currency}".strip()
            chips.append((f"At least {amount} a year", drop("min_salary", None)))
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
        good: list[str] = []
        bad: list[str] = []
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

    raw_salary = str(querydict.get("salary", "") or "").strip().replace(",", "").replace("_", "")
    min_salary = parse_int(raw_salary, min_value=1, max_value=MAX_SALARY)
    if raw_salary and min_salary is None:
        notices.append("Ignored the minimum salary: it must be a whole number, such as 50000.")

    salary_currency = str(querydict.get("currency", "") or "").strip().upper()
    if salary_currency and salary_currency not in known_currencies():
        notices.append("Ignored the currency: choose one of the listed currencies.")
        salary_currency = ""
    # An explicit EUR is kept: the reader's default may be another currency (jobs/board/currency.py).

    posted_within = None
    raw_posted = str(querydict.get("posted", "") or "").strip()
    if raw_posted:
        posted_within = parse_int(raw_posted)
        if posted_within not in dict(POSTED_WITHIN_CHOICES):
            posted_within = None
            notices.append("Ignored the posting date filter: choose one of the listed periods.")

    sort = str(querydict.get("sort", "") or "").strip()
    if sort and sort not in dict(SORT_CHOICES):
        notices.append("Ignored the sort order: choose relevance or newest.")
        sort = ""

    params = SearchParams(
        q=q, countries=countries, location=location, workplaces=workplaces,
        employment_types=types, levels=levels, companies=tuple(companies),
        min_salary=min_salary, salary_currency=salary_currency, posted_within=posted_within,
        sort=sort,
    )  # fmt: skip
    return params, notices


def normalize_querystring(raw: str) -> str:
    """A /jobs/ URL (or its query) as the search reads it, for a saved search: the parameters
    the search knows, with their valid values, in one order, without the page number."""
    from django.http import QueryDict

    raw = (raw or "").strip()
    if "?" in raw:
        raw = raw.split("?", 1)[1]
    params, _notices = parse_search_params(QueryDict(raw))
    return params.querystring()


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
    return parse_int(value, default=1, min_value=1, max_value=MAX_PAGE) or 1
