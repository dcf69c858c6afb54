"""Connectors: one small module per kind of source. Each maps its vendor's documented public
shape onto `Job`s and nothing else (no database): the sync (jobs/sources/services.py) decides
what becomes of them.

A connector module has:

* `CONDITIONAL`: True when the whole board is one request, so ETag / Last-Modified apply;
* `endpoint_url(endpoint) -> str`: the URL to fetch from a full URL or a board token
  (ValueError with a message for staff when it is neither);
* `fetch(fetcher, url, *, known) -> list[Job]`: every job the board lists now, following
  pagination. `known` maps external ids to the version stamp stored at the last sync, so a kind
  that needs one request per job (SmartRecruiters' details) skips jobs it already has.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import importlib
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from django.utils.dateparse import parse_datetime

KINDS = (
    "greenhouse",
    "lever",
    "ashby",
    "workable",
    "smartrecruiters",
    "recruitee",
    "personio",
    "jsonld",
    "feed",
)


@dataclass
class Job:
    external_id: str
    title: str
    description_html: str = ""
    # "City, Region, Country" strings as the board gives them (country may be missing).
    locations: list[str] = field(default_factory=list)
    remote: bool = False
    hybrid: bool = False
    employment_type: str = ""  # one of jobs.models.EmploymentType, or ""
    salary_min: int | None = None
    salary_max: int | None = None
    salary_currency: str = ""
    salary_period: str = ""  # one of jobs.models.SalaryPeriod, or ""
    team: str = ""
    apply_url: str = ""
    url: str = ""
    updated_at: dt.datetime | None = None
    # The last moment the job is open, where the board says (schema.org validThrough); the sync
    # checks it is a real date (jobs/sources/mapping.py: valid_until).
    valid_through: dt.datetime | None = None
    # The vendor's version stamp; with `keep` the connector did not read this job again because
    # `known` had the same version (the sync treats it as unchanged).
    version: str = ""
    keep: bool = False


def connector(kind: str) -> ModuleType:
    if kind not in KINDS:
        raise ValueError(f"“{kind}” is not a kind of source; use one of {', '.join(KINDS)}.")
    return importlib.import_module(f"jobs.sources.connectors.{kind}")


# --- helpers the connectors share ------------------------------------------------------------

TOKEN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def url_or_token(endpoint: str, template: str, what: str) -> str:
    """A full http(s) URL as is; a board token through `template`; anything else is refused."""
    endpoint = (endpoint or "").strip()
    if is_url(endpoint):
        return endpoint
    if TOKEN_RE.match(endpoint):
        return template.format(token=endpoint)
    raise ValueError(f"Give the {what} (letters, digits, dots, dashes) or the full https:// URL.")


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("label") or value.get("value") or ""
    # No NUL bytes: PostgreSQL refuses them in text (one would fail the whole sync).
    return re.sub(r"\s+", " ", str(value).replace("\x00", "")).strip()


def unescape_html(value: str) -> str:
    """Greenhouse (and some JSON-LD) send HTML escaped once more than needed."""
    if value and "<" not in value and re.search(r"&lt;/?[a-zA-Z]", value):
        return html_lib.unescape(value)
    return value or ""


def when(value: Any) -> dt.datetime | None:
    """ISO 8601 text, "2020-01-01 10:00:00 UTC", or epoch milliseconds."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return dt.datetime.fromtimestamp(value / 1000 if value > 10**11 else value, tz=dt.UTC)
        except (ValueError, OverflowError, OSError):  # past year 9999, NaN, and the like
            return None
    raw = str(value).replace("\x00", "").strip().replace(" UTC", "+00:00")
    try:
        parsed = parse_datetime(raw.replace(" ", "T", 1) if "T" not in raw else raw)
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            parsed = dt.datetime.fromisoformat(raw[:10])
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


_EMPLOYMENT = {
    "fulltime": "full_time",
    "full_time": "full_time",
    "full-time": "full_time",
    "full time": "full_time",
    "permanent": "full_time",
    "regular": "full_time",
    "parttime": "part_time",
    "part_time": "part_time",
    "part-time": "part_time",
    "part time": "part_time",
    "contract": "contract",
    "contractor": "contract",
    "freelance": "contract",
    "intern": "internship",
    "internship": "internship",
    "trainee": "internship",
    "working_student": "part_time",
    "temporary": "temporary",
    "temp": "temporary",
    "seasonal": "temporary",
}


def employment(value: Any) -> str:
    return _EMPLOYMENT.get(text(value).lower(), "")


_PERIOD = {
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "1 year": "year",
    "per-year-salary": "year",
    "month": "month",
    "monthly": "month",
    "1 month": "month",
    "per-month-salary": "month",
    "week": "week",
    "1 week": "week",
    "per-week-salary": "week",
    "day": "day",
    "1 day": "day",
    "per-day-wage": "day",
    "hour": "hour",
    "hourly": "hour",
    "1 hour": "hour",
    "per-hour-wage": "hour",
}


def period(value: Any) -> str:
    return _PERIOD.get(text(value).lower(), "")


def amount(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if 0 <= number < 2**31 else None


def place(*parts: Any) -> str:
    return ", ".join(p for p in (text(x) for x in parts) if p)


def looks_remote(value: str) -> bool:
    return bool(re.search(r"\bremote\b|\banywhere\b|\bworldwide\b", value or "", re.I))


def paragraphs(value: str) -> str:
    """Plain text to HTML paragraphs (escaped); HTML is returned as is."""
    if re.search(r"<[a-zA-Z/][^>]*>", value or ""):
        return value
    from django.utils.html import escape

    parts = [p.strip() for p in re.split(r"\n\s*\n", value or "") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in parts)
