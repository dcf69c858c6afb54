"""A connector's `Job` as the values of a posting: places resolved to (city, region, country),
HTML sanitized, choices checked, and a hash of it all (an unchanged job is recognised by its
hash without touching the posting)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django_countries import countries

from config.dates import in_range
from config.params import without_nul
from jobs.models import EmploymentType, SalaryPeriod, Workplace
from jobs.sanitize import clean_html
from jobs.sources.connectors import Job, is_url, paragraphs

_STATES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM"
)
US_STATES = set(f"{_STATES} NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC".split(" "))
AMBIGUOUS_AS_COUNTRY = {"DE", "IN", "IL", "ID"}  # Germany, India, Israel, Indonesia
COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "unitedstates": "US",
    "unitedstatesofamerica": "US",
    "uk": "GB",
    "unitedkingdom": "GB",
    "england": "GB",
    "scotland": "GB",
    "deutschland": "DE",
    "uae": "AE",
}


EMPLOYMENT_TYPES = frozenset(EmploymentType.values)
SALARY_PERIODS = frozenset(SalaryPeriod.values)


class MappingError(ValueError):
    """A job the board lists that cannot become a posting (counted as failed, with the reason)."""


def _key(value: str) -> str:
    return re.sub(r"[^a-z]", "", value.lower())


@functools.lru_cache(maxsize=4096)
def country_code(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    alias = COUNTRY_ALIASES.get(_key(value))
    if alias:
        return alias
    if len(value) == 2 and value.upper() in _codes():
        return value.upper()
    return countries.alpha2(value) or countries.by_name(value, insensitive=True) or ""


@functools.lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries)


@functools.lru_cache(maxsize=8192)
def resolve_place(value: str, default_country: str = "") -> tuple[str, str, str] | None:
    """ "Berlin, DE" / "Austin, TX" / "Lyon, Auvergne, France" / "Germany" / "Munich" (with a
    default country) → (city, region, country); None when no country can be told."""
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not parts:
        return None
    parts = parts[:3] if len(parts) <= 3 else [parts[0], parts[1], parts[-1]]
    last = parts[-1]
    code = last.upper()
    # "Austin, TX" is Texas; "Berlin, DE" is Germany, not Delaware. A two-letter code that is
    # both a state and a country is read as the state ("San Francisco, CA") except for the four
    # countries boards mostly mean by it; a source's default country of US settles it either way.
    if (
        len(parts) == 2
        and code in US_STATES
        and (default_country == "US" or (not default_country and code not in AMBIGUOUS_AS_COUNTRY))
    ):
        return parts[0][:120], code, "US"
    code = country_code(last)
    if code:
        city = parts[0] if len(parts) >= 2 else ""
        region = parts[1] if len(parts) == 3 else ""
        return city[:120], region[:120], code
    if default_country:
        region = parts[1] if len(parts) >= 2 else ""
        return parts[0][:120], region[:120], default_country
    return None


@dataclass
class Mapped:
    external_id: str
    title: str
    description: str
    team: str
    employment_type: str
    workplace: str
    salary_min: int | None
    salary_max: int | None
    salary_currency: str
    salary_period: str
    apply_url: str
    url: str
    places: list[tuple[str, str, str]] = field(default_factory=list)
    version: str = ""
    keep: bool = False
    content_hash: str = ""
    # When the posting stops being valid, as the board says (a checked validThrough); None when
    # it does not say, and the posting then lives SOURCES_LISTING_DAYS past its last sighting.
    expires_at: dt.datetime | None = None

    def posting_fields(self) -> dict:
        return {
            "title": self.title,
            "description": self.description,
            "team": self.team,
            "employment_type": self.employment_type,
            "workplace": self.workplace,
            "salary_min": self.salary_min,
            "salary_max": self.salary_max,
            "salary_currency": self.salary_currency,
            "salary_period": self.salary_period,
            "apply_url": self.apply_url,
        }


def _url(value: str) -> str:
    value = without_nul(value).strip()
    return value if is_url(value) and len(value) <= 500 else ""


def valid_until(value: dt.datetime | None, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """A board's validThrough as a posting's expiry, or None when it is no usable date: outside
    the years every date is kept to (config/dates.py: 1899, 9999) or more than
    SOURCES_MAX_VALID_DAYS ahead (boards put placeholders such as 2099-12-31 there; such a job
    lives by the listing lifetime instead, so a dead board still lets it expire). A date in the
    past is kept: the board says the job is over."""
    if value is None or not in_range(value):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    value = value.astimezone(dt.UTC)
    horizon = dt.timedelta(days=int(getattr(settings, "SOURCES_MAX_VALID_DAYS", 365)))
    if value > (now or timezone.now()) + horizon:
        return None
    return value


def external_id_of(job: Job) -> str:
    return without_nul(job.external_id).strip()[:300]


def map_job(
    job: Job, *, default_country: str = "", fallback_url: str = "", now: dt.datetime | None = None
) -> Mapped:
    external_id = external_id_of(job)
    if not external_id:
        raise MappingError("a job without an id")
    title = without_nul(job.title).strip()[:200]
    if not title:
        raise MappingError(f"job {external_id} has no title")
    places: list[tuple[str, str, str]] = []
    for raw in job.locations:
        resolved = resolve_place(without_nul(raw), default_country)
        if resolved and resolved not in places:
            places.append(resolved)
    low, high = job.salary_min, job.salary_max
    if low is not None and high is not None and low > high:
        low, high = high, low
    currency = (job.salary_currency or "").strip().upper()
    mapped = Mapped(
        external_id=external_id,
        title=title,
        description=clean_html(paragraphs(job.description_html or "")),
        team=without_nul(job.team)[:200],
        employment_type=job.employment_type
        if job.employment_type in EMPLOYMENT_TYPES
        else EmploymentType.FULL_TIME,
        workplace=Workplace.REMOTE
        if job.remote
        else Workplace.HYBRID
        if job.hybrid
        else Workplace.ONSITE,
        salary_min=low,
        salary_max=high,
        salary_currency=currency if re.fullmatch(r"[A-Z]{3}", currency) else "",
        salary_period=job.salary_period
        if job.salary_period in SALARY_PERIODS
        else SalaryPeriod.YEAR,
        apply_url=_url(job.apply_url) or _url(job.url) or _url(fallback_url),
        url=_url(job.url),
        places=sorted(places),
        version=without_nul(job.version)[:100],
        keep=job.keep,
        expires_at=valid_until(job.valid_through, now=now),
    )
    if not mapped.apply_url:
        raise MappingError(f"job {external_id} has no http(s) link to apply")
    mapped.content_hash = job_hash(job, default_country=default_country)
    return mapped


# Bump when map_job changes what a job becomes: every stored hash then differs once, and the
# next sync of each source rewrites its postings with the new mapping.
MAPPING_VERSION = 1


def job_hash(job: Job, *, default_country: str = "") -> str:
    """A hash of what the board said about a job (its update time and version stamp aside).
    Computed before mapping, so an unchanged job is recognised without sanitizing its HTML or
    resolving its places (most of a big board's sync time)."""
    content = [
        MAPPING_VERSION, default_country, job.external_id, job.title, job.description_html,
        job.locations, job.remote, job.hybrid, job.employment_type, job.salary_min,
        job.salary_max, job.salary_currency, job.salary_period, job.team, job.apply_url, job.url,
    ]  # fmt: skip
    if job.valid_through is not None:  # only when given: the hashes stored before stay valid
        content.append(job.valid_through.isoformat())
    return hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()


def kept(job: Job) -> Mapped:
    """A listed job the sync knows is unchanged: nothing of it is mapped or written (its
    posting's expiry may be extended, from what its link stored: services._extension)."""
    return Mapped(
        external_id=external_id_of(job), title="", description="", team="",
        employment_type="", workplace="", salary_min=None, salary_max=None, salary_currency="",
        salary_period="", apply_url="", url="", keep=True,
    )  # fmt: skip


def normalise(value: str) -> str:
    """Case, accents, punctuation and legal suffixes do not make two companies or titles differ."""
    value = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode().lower()
    value = re.sub(r"[^a-z0-9]+", " ", value)
    value = re.sub(r"\b(inc|ltd|llc|gmbh|ag|sa|sas|bv|plc|co|corp|corporation|limited)\b", " ",
                   value)  # fmt: skip
    return " ".join(value.split())
