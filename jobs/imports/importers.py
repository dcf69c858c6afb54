"""Import postings from CSV, JSON (a list of objects) or schema.org JobPosting JSON-LD.

`import_postings(data, filename=..., source=...)` is the one entry point: the management command
calls it, and so does the Celery task of a staff upload (jobs/imports/services.py), after
`check_file` has checked the file's envelope in the request. The file is read, decoded (UTF-8,
with or without BOM), detected (by extension, then by content), turned into one raw dict per
row, and every row is validated into the values of a Posting. Problems are reported by row and column:

- CSV rows are numbered as a spreadsheet shows them: the header is row 1, the first posting row 2;
- JSON and JSON-LD items are numbered from 1 ("item 3"), and the column is the key
  ("baseSalary.value.minValue" for nested JSON-LD).

A file is all-or-nothing: one invalid row rejects the whole file and nothing is written. With
`skip_invalid=True` the valid rows are imported and every skipped row is reported with its reasons.

Imports are idempotent on `(source, external_id)`: a second import of the same file updates the
postings it created and never duplicates them. Rows without an `external_id` get a stable one
derived from company, title and locations, so re-importing such a file is idempotent too.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import html as html_lib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from django_countries import countries

from config import limits
from config.dates import RANGE_MESSAGE, in_range
from config.page_cache import bump_generation
from jobs.models import (
    Company,
    CompanyGroup,
    EmploymentType,
    Level,
    Location,
    Posting,
    PostingStatus,
    ReviewPolicy,
    SalaryPeriod,
    Workplace,
)
from jobs.sanitize import clean_html

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5_000
DEFAULT_SOURCE = "import"
DEFAULT_EXPIRY_DAYS = 60

REQUIRED_COLUMNS = ("title", "company", "description")
KNOWN_COLUMNS = (
    "title",
    "company",
    "description",
    "team",
    "employment_type",
    "level",
    "workplace",
    "locations",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "apply_url",
    "apply_email",
    "review_policy",
    "application_deadline",
    "external_id",
    "status",
    "company_website",
    "group",
)
IMPORTABLE_STATUSES = (
    PostingStatus.DRAFT,
    PostingStatus.SUBMITTED,
    PostingStatus.PUBLISHED,
    PostingStatus.CLOSED,
    PostingStatus.EXPIRED,
)


# --------------------------------------------------------------------------------------------
# The report


@dataclass
class ImportIssue:
    """One problem: `row` is "row 4" / "item 2" (empty for the whole file), `column` the column
    or key (empty when the problem is the row or file as a whole)."""

    row: str
    column: str
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            p for p in (self.row, f"column {self.column}" if self.column else "") if p
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass
class SkippedRow:
    row: str
    reasons: list[ImportIssue]

    def __str__(self) -> str:
        return f"{self.row} skipped: " + "; ".join(
            (f"column {i.column}: {i.message}" if i.column else i.message) for i in self.reasons
        )


@dataclass
class ImportReport:
    source: str
    filename: str = ""
    format: str = ""
    dry_run: bool = False
    skip_invalid: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[SkippedRow] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    posting_ids: list[int] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)  # created or updated

    @property
    def ok(self) -> bool:
        """The file was accepted (possibly with skipped rows when skip_invalid is on)."""
        return not self.errors

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        if not self.ok:
            return f"Rejected: {len(self.errors)} problem(s); nothing was imported."
        verb = "Would import" if self.dry_run else "Imported"
        text = (
            f"{verb} {self.imported} of {self.rows} row(s) from {self.format or 'the file'}: "
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        )
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        return text + "."

    def lines(self) -> list[str]:
        """The report as text lines (the management command prints these)."""
        out = [self.summary()]
        out += [f"warning: {w}" for w in self.warnings]
        out += [f"error: {e}" for e in self.errors]
        out += [str(s) for s in self.skipped]
        return out


class FileRejected(Exception):
    """The file as a whole cannot be read (size, encoding, format, header)."""


# --------------------------------------------------------------------------------------------
# Reading the file into raw rows


@dataclass
class RawRow:
    label: str  # "row 4" or "item 2"
    values: dict[str, Any]  # canonical field -> raw value
    keys: dict[str, str]  # canonical field -> column/key name as in the file
    problems: list[ImportIssue] = field(default_factory=list)
    published_at: Any = None  # JSON-LD datePosted
    expires_at: Any = None  # JSON-LD validThrough


def _decode(data: bytes) -> str:
    if not data:
        raise FileRejected("The file is empty.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRejected(
            "The file is UTF-16 encoded. Save it as UTF-8 (in Excel: “CSV UTF-8”) and upload it again."
        )
    if b"\x00" in data[:4096]:
        raise FileRejected("This is not a text file (it contains NUL bytes).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileRejected(
            f"The file is not UTF-8: byte 0x{data[exc.start]:02x} on line {line} cannot be read. "
            "Save it as UTF-8 (in Excel: “CSV UTF-8”) and upload it again."
        ) from None
    if not text.strip():
        raise FileRejected("The file is empty.")
    return text


def detect_format(filename: str, text: str) -> str:
    name = (filename or "").lower()
    if name.endswith(".csv") or name.endswith(".tsv"):
        return "csv"
    if name.endswith((".json", ".jsonld", ".json-ld")):
        return "json"
    return "json" if text.lstrip()[:1] in ("[", "{") else "csv"


def _normalise_header(name: str | None) -> str:
    return re.sub(r"[\s\-]+", "_", (name or "").strip().lower())


def _csv_rows(text: str, max_rows: int, warnings: list[str]) -> list[RawRow]:
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise FileRejected("The file has no header row.") from None
    columns = [_normalise_header(h) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise FileRejected(
            f"Missing required column(s): {', '.join(missing)}. "
            f"The header row (row 1) has: {', '.join(h for h in header if h) or 'nothing'}."
        )
    seen: set[str] = set()
    for c in columns:
        if c and c in seen:
            raise FileRejected(f"Column {c} appears twice in the header row.")
        seen.add(c)
    unknown = [h for h, c in zip(header, columns, strict=True) if c not in KNOWN_COLUMNS]
    if unknown:
        warnings.append(f"Unknown column(s) ignored: {', '.join(unknown)}.")

    rows: list[RawRow] = []
    number = 1
    try:
        for record in reader:
            number += 1
            if not any(cell.strip() for cell in record):
                continue  # blank lines between rows
            if len(rows) >= max_rows:
                raise FileRejected(
                    f"The file has more than {max_rows:,} rows; split it into smaller files."
                )
            label = f"row {number}"
            row = RawRow(label=label, values={}, keys={})
            if len(record) > len(columns):
                row.problems.append(
                    ImportIssue(
                        label,
                        "",
                        f"has {len(record)} fields but the header has {len(columns)} "
                        "(an unquoted comma?)",
                    )
                )
            for c, h, cell in zip(columns, header, record, strict=False):
                if c in KNOWN_COLUMNS:
                    row.values[c] = cell
                    row.keys[c] = h.strip()
            rows.append(row)
    except csv.Error as exc:
        raise FileRejected(f"The CSV cannot be read at row {number}: {exc}.") from None
    return rows


def _json_items(text: str) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRejected(
            f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        return data["@graph"]
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        return data
    raise FileRejected('The JSON must be an object, a list of objects, or {"@graph": [...]}.')


def _is_jsonld(item: Any) -> bool:
    return isinstance(item, dict) and ("@type" in item or "@context" in item)


def _json_row(item: dict, label: str, warnings_seen: set[str]) -> RawRow:
    row = RawRow(label=label, values={}, keys={})
    for key, value in item.items():
        c = _normalise_header(key)
        if c in KNOWN_COLUMNS:
            row.values[c] = value
            row.keys[c] = key
        else:
            warnings_seen.add(key)
    return row


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("value") or value.get("@value"))
    if isinstance(value, list):
        return _text(value[0]) if value else ""
    return str(value).strip()


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


JSONLD_EMPLOYMENT = {
    "FULL_TIME": EmploymentType.FULL_TIME,
    "PART_TIME": EmploymentType.PART_TIME,
    "CONTRACTOR": EmploymentType.CONTRACT,
    "CONTRACT": EmploymentType.CONTRACT,
    "TEMPORARY": EmploymentType.TEMPORARY,
    "PER_DIEM": EmploymentType.TEMPORARY,
    "INTERN": EmploymentType.INTERNSHIP,
    "INTERNSHIP": EmploymentType.INTERNSHIP,
}


def _is_job_posting(item: dict) -> bool:
    types = [str(t) for t in _as_list(item.get("@type"))]
    return not types or any(t.split("/")[-1].split(":")[-1] == "JobPosting" for t in types)


def _jsonld_row(item: dict, label: str) -> RawRow:
    """Map a schema.org JobPosting onto the importer's columns."""
    row = RawRow(label=label, values={}, keys={})

    def put(name: str, key: str, value: Any) -> None:
        row.values[name] = value
        row.keys[name] = key

    put("title", "title", _text(item.get("title")))
    put("description", "description", item.get("description") or "")
    org = item.get("hiringOrganization")
    if isinstance(org, dict):
        put("company", "hiringOrganization.name", _text(org.get("name")))
        website = _text(org.get("sameAs") or org.get("url"))
        if website:
            put("company_website", "hiringOrganization.sameAs", website)
    else:
        put("company", "hiringOrganization", _text(org))

    kinds = [
        _text(k).upper().replace("-", "_").replace(" ", "_")
        for k in _as_list(item.get("employmentType"))
    ]
    mapped = [JSONLD_EMPLOYMENT[k] for k in kinds if k in JSONLD_EMPLOYMENT]
    if mapped:
        put("employment_type", "employmentType", mapped[0])
    elif kinds and not set(kinds) <= {"OTHER", "VOLUNTEER"}:
        put("employment_type", "employmentType", ", ".join(kinds))

    locations: list[str] = []
    for place in _as_list(item.get("jobLocation")):
        address = place.get("address") if isinstance(place, dict) else place
        if isinstance(address, dict):
            parts = [
                _text(address.get("addressLocality")),
                _text(address.get("addressRegion")),
                _text(address.get("addressCountry")),
            ]
            locations.append(", ".join(p for p in parts if p))
        elif address:
            locations.append(_text(address))
    remote = any(_text(t).upper() == "TELECOMMUTE" for t in _as_list(item.get("jobLocationType")))
    if remote:
        put("workplace", "jobLocationType", Workplace.REMOTE)
        if not locations:
            for req in _as_list(item.get("applicantLocationRequirements")):
                name = _text(req)
                if name:
                    locations.append(name)
    if locations:
        put("locations", "jobLocation", "; ".join(locations))

    salary = item.get("baseSalary")
    if isinstance(salary, dict):
        if salary.get("currency"):
            put("salary_currency", "baseSalary.currency", _text(salary.get("currency")))
        value = salary.get("value")
        if isinstance(value, dict):
            if value.get("minValue") is not None:
                put("salary_min", "baseSalary.value.minValue", value.get("minValue"))
            if value.get("maxValue") is not None:
                put("salary_max", "baseSalary.value.maxValue", value.get("maxValue"))
            if value.get("value") is not None and "salary_min" not in row.values:
                put("salary_min", "baseSalary.value.value", value.get("value"))
                put("salary_max", "baseSalary.value.value", value.get("value"))
            if value.get("unitText"):
                put("salary_period", "baseSalary.value.unitText", _text(value.get("unitText")))
        elif value is not None:
            put("salary_min", "baseSalary.value", value)
            put("salary_max", "baseSalary.value", value)

    identifier = item.get("identifier")
    if isinstance(identifier, dict):
        identifier = identifier.get("value") or identifier.get("@value") or identifier.get("name")
    if identifier:
        put("external_id", "identifier.value", _text(identifier))
    url = _text(item.get("url"))
    if url:
        put("apply_url", "url", url)
    contact = item.get("applicationContact")
    if isinstance(contact, dict) and contact.get("email"):
        put("apply_email", "applicationContact.email", _text(contact.get("email")))
    if item.get("validThrough"):
        put("application_deadline", "validThrough", _text(item.get("validThrough")))
        row.expires_at = ("validThrough", _text(item.get("validThrough")))
    if item.get("datePosted"):
        row.published_at = ("datePosted", _text(item.get("datePosted")))
    return row


def read_rows(
    data: bytes, filename: str, *, max_rows: int, warnings: list[str]
) -> tuple[str, list[RawRow]]:
    text = _decode(data)
    fmt = detect_format(filename, text)
    if fmt == "csv":
        rows = _csv_rows(text, max_rows, warnings)
        if not rows:
            raise FileRejected("The file has a header row but no postings.")
        return "CSV", rows

    items = _json_items(text)
    if not items:
        raise FileRejected("The file holds no postings.")
    if len(items) > max_rows:
        raise FileRejected(
            f"The file has {len(items):,} items, more than {max_rows:,}; split it into smaller files."
        )
    rows = []
    unknown: set[str] = set()
    jsonld = False
    for index, item in enumerate(items, start=1):
        label = f"item {index}"
        if _is_jsonld(item):
            jsonld = True
            if not _is_job_posting(item):
                kind = ", ".join(str(t) for t in _as_list(item.get("@type"))) or "no @type"
                warnings.append(f"{label} ignored: it is not a JobPosting ({kind}).")
                continue
            rows.append(_jsonld_row(item, label))
        elif isinstance(item, dict):
            rows.append(_json_row(item, label, unknown))
        else:
            row = RawRow(label=label, values={}, keys={})
            row.problems.append(ImportIssue(label, "", "is not an object"))
            rows.append(row)
    if not rows:
        raise FileRejected("The file holds no JobPosting.")
    if unknown:
        warnings.append(f"Unknown key(s) ignored: {', '.join(sorted(unknown))}.")
    if not jsonld:
        present = set().union(*(r.values.keys() for r in rows))
        missing = [c for c in REQUIRED_COLUMNS if c not in present]
        if missing:
            raise FileRejected(f"Missing required key(s) in every item: {', '.join(missing)}.")
    return ("JSON-LD" if jsonld else "JSON"), rows


# --------------------------------------------------------------------------------------------
# Validating a row


def _key(value: str) -> str:
    return re.sub(r"[\s\-_/]+", "", value.strip().lower())


EMPLOYMENT_ALIASES = {
    **{_key(v): v for v in EmploymentType.values},
    **{_key(label): v for v, label in EmploymentType.choices},
    "fulltime": EmploymentType.FULL_TIME,
    "permanent": EmploymentType.FULL_TIME,
    "contractor": EmploymentType.CONTRACT,
    "freelance": EmploymentType.CONTRACT,
    "intern": EmploymentType.INTERNSHIP,
    "temp": EmploymentType.TEMPORARY,
}
LEVEL_ALIASES = {
    **{_key(v): v for v in Level.values},
    **{_key(label): v for v, label in Level.choices},
    "intern": Level.INTERNSHIP,
    "junior": Level.ENTRY,
    "graduate": Level.ENTRY,
    "midlevel": Level.MID,
    "intermediate": Level.MID,
    "principal": Level.LEAD,
    "staff": Level.LEAD,
    "director": Level.EXECUTIVE,
}
WORKPLACE_ALIASES = {
    **{_key(v): v for v in Workplace.values},
    **{_key(label): v for v, label in Workplace.choices},
    "office": Workplace.ONSITE,
    "inoffice": Workplace.ONSITE,
    "telecommute": Workplace.REMOTE,
}
PERIOD_ALIASES = {
    **{_key(v): v for v in SalaryPeriod.values},
    **{_key(label): v for v, label in SalaryPeriod.choices},
    "hourly": SalaryPeriod.HOUR,
    "daily": SalaryPeriod.DAY,
    "weekly": SalaryPeriod.WEEK,
    "monthly": SalaryPeriod.MONTH,
    "yearly": SalaryPeriod.YEAR,
    "annual": SalaryPeriod.YEAR,
    "annually": SalaryPeriod.YEAR,
    "peryear": SalaryPeriod.YEAR,
    "perannum": SalaryPeriod.YEAR,
}
REVIEW_ALIASES = {
    **{_key(v): v for v in ReviewPolicy.values},
    "afterthedeadline": ReviewPolicy.AFTER_DEADLINE,
    "deadline": ReviewPolicy.AFTER_DEADLINE,
}
STATUS_ALIASES = {_key(v): v for v in IMPORTABLE_STATUSES} | {
    "open": PostingStatus.PUBLISHED,
    "active": PostingStatus.PUBLISHED,
}
COUNTRY_ALIASES = {
    "usa": "US",
    "unitedstates": "US",
    "us": "US",
    "uk": "GB",
    "unitedkingdom": "GB",
    "england": "GB",
    "scotland": "GB",
    "southkorea": "KR",
    "korea": "KR",
    "russia": "RU",
    "vietnam": "VN",
    "czechia": "CZ",
    "uae": "AE",
}


# (column, aliases, allowed values for the message, default), computed once.
CHOICE_COLUMNS = (
    ("employment_type", EMPLOYMENT_ALIASES, tuple(EmploymentType.values), EmploymentType.FULL_TIME),
    ("level", LEVEL_ALIASES, tuple(Level.values), ""),
    ("workplace", WORKPLACE_ALIASES, tuple(Workplace.values), Workplace.ONSITE),
    ("salary_period", PERIOD_ALIASES, tuple(SalaryPeriod.values), SalaryPeriod.YEAR),
    ("review_policy", REVIEW_ALIASES, tuple(ReviewPolicy.values), ReviewPolicy.ROLLING),
    ("status", STATUS_ALIASES, tuple(str(s) for s in IMPORTABLE_STATUSES), PostingStatus.PUBLISHED),
)


def _choice(value: str, aliases: dict[str, str], allowed: Iterable[str]) -> str:
    found = aliases.get(_key(value))
    if found is None:
        raise ValueError(f"'{value}' is not one of: {', '.join(allowed)}")
    return found


def _whole_number(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a whole number")
    if isinstance(value, int):
        number = Decimal(value)
    else:
        text = str(value).strip().replace(",", "").replace("_", "").replace(" ", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"'{value}' is not a whole number") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(f"'{value}' is not a whole number")
    if number < 0:
        raise ValueError(f"'{value}' is negative")
    if number > 2_147_483_647:
        raise ValueError(f"'{value}' is too large")
    return int(number)


def _country(value: str) -> str:
    text = value.strip()
    code = COUNTRY_ALIASES.get(_key(text)) or countries.alpha2(text)
    if not code:
        code = countries.by_name(text, insensitive=True)
    if not code:
        raise ValueError(f"'{text}' is not a country (use a 2-letter code such as US or DE)")
    return code


def parse_locations(value: str) -> tuple[list[tuple[str, str, str]], bool]:
    """ "San Jose, CA, US; Singapore, SG; Remote" -> ([(city, region, country), ...], remote)."""
    places: list[tuple[str, str, str]] = []
    remote = False
    for chunk in re.split(r"[;|\n]", value):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _key(chunk) in ("remote", "anywhere", "worldwide"):
            remote = True
            continue
        parts = [p.strip() for p in chunk.split(",")]
        if len(parts) > 3:
            raise ValueError(f"'{chunk}' has too many parts (use City, Region, Country)")
        country = _country(parts[-1])
        city = parts[0] if len(parts) >= 2 else ""
        region = parts[1] if len(parts) == 3 else ""
        if len(city) > 120 or len(region) > 120:
            raise ValueError(f"'{chunk}' is too long")
        places.append((city, region, country))
    return places, remote


def _date(value: str) -> dt.date:
    text = value.strip()
    parsed_dt = None
    try:
        parsed = parse_date(text)
        if parsed is None:
            parsed_dt = parse_datetime(text)
    except ValueError:
        parsed = None
    if parsed is None and parsed_dt is not None:
        parsed = parsed_dt.date()
    if parsed is None:
        raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD)")
    if not in_range(parsed):
        raise ValueError(f"'{value}' is outside the dates we accept: {RANGE_MESSAGE}")
    return parsed


def _datetime(value: str) -> dt.datetime:
    text = value.strip()
    try:
        parsed = parse_datetime(text)
    except ValueError:
        parsed = None
    if parsed is None:
        day = _date(text)
        parsed = dt.datetime.combine(day, dt.time.min)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    if not in_range(parsed):
        raise ValueError(f"'{value}' is outside the dates we accept: {RANGE_MESSAGE}")
    return parsed


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)), dt.UTC)


def _description_html(value: str) -> str:
    text = value.strip()
    tag = re.compile(r"<[a-zA-Z/][^>]*>")
    if not tag.search(text) and re.search(r"&lt;/?(p|ul|li|br|h[1-6]|strong|div)\b", text):
        text = html_lib.unescape(text)  # HTML escaped once more than needed (common in JSON-LD)
    if not tag.search(text):
        # Plain text: blank lines separate paragraphs, single newlines are line breaks.
        from django.utils.html import escape

        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return clean_html(text)


@dataclass
class CleanRow:
    label: str
    external_id: str
    company: str
    company_website: str
    group: str
    places: list[tuple[str, str, str]]
    fields: dict[str, Any]
    published_at: dt.datetime | None
    expires_at: dt.datetime | None
    past_deadline: bool = False  # published in the file, but its deadline has passed


_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()

MAX_LENGTHS = {
    "title": 200,
    "company": 200,
    "team": 200,
    "group": 200,
    "external_id": 200,
    # Imported text is not Markdown (plain text is escaped, HTML sanitized): it may be as long
    # as the stored HTML, and the posting stays editable (its HTML comes back to the form).
    "description": limits.POSTING_DESCRIPTION_HTML,
}


def validate_row(raw: RawRow, *, now: dt.datetime) -> tuple[CleanRow | None, list[ImportIssue]]:
    problems = list(raw.problems)

    def text(name: str) -> str:
        value = raw.values.get(name)
        if isinstance(value, (dict, list)):
            problems.append(ImportIssue(raw.label, raw.keys.get(name, name), "must be text"))
            return ""
        return "" if value is None else str(value).strip()

    def fail(name: str, message: str) -> None:
        problems.append(ImportIssue(raw.label, raw.keys.get(name, name), message))

    if problems and not raw.values:
        return None, problems

    values: dict[str, Any] = {}
    for name in ("title", "company", "description"):
        if not text(name):
            fail(name, "is required")
    for name, limit in MAX_LENGTHS.items():
        if len(text(name)) > limit:
            fail(name, f"is longer than {limit} characters")

    description = ""
    if text("description") and len(text("description")) <= limits.POSTING_DESCRIPTION_HTML:
        description = _description_html(text("description"))
        if not description:
            fail("description", "has no text left after removing unsafe HTML")
        elif len(description) > limits.POSTING_DESCRIPTION_HTML:
            fail(
                "description",
                f"is longer than {limits.POSTING_DESCRIPTION_HTML:,} characters of HTML",
            )
    values["title"] = text("title")
    values["team"] = text("team")
    values["description"] = description

    for name, aliases, allowed, default in CHOICE_COLUMNS:
        value = text(name)
        values[name] = default
        if value:
            try:
                values[name] = _choice(value, aliases, allowed)
            except ValueError as exc:
                fail(name, str(exc))

    places: list[tuple[str, str, str]] = []
    if text("locations"):
        try:
            places, remote = parse_locations(text("locations"))
        except ValueError as exc:
            fail("locations", str(exc))
        else:
            if remote and not text("workplace"):
                values["workplace"] = Workplace.REMOTE

    for name in ("salary_min", "salary_max"):
        values[name] = None
        raw_value = raw.values.get(name)
        if raw_value is not None and str(raw_value).strip() != "":
            try:
                values[name] = _whole_number(raw_value)
            except ValueError as exc:
                fail(name, str(exc))
    if (
        values["salary_min"] is not None
        and values["salary_max"] is not None
        and values["salary_min"] > values["salary_max"]
    ):
        fail(
            "salary_max",
            f"{values['salary_max']} is less than salary_min ({values['salary_min']})",
        )
    currency = text("salary_currency").upper()
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        fail("salary_currency", f"'{text('salary_currency')}' is not a 3-letter currency code")
    elif not currency and (values["salary_min"] is not None or values["salary_max"] is not None):
        fail("salary_currency", "is required when a salary is given (e.g. USD, EUR)")
    values["salary_currency"] = currency

    apply_url = text("apply_url")
    if apply_url:
        try:
            _url(apply_url)
            if len(apply_url) > 500:
                raise ValidationError("too long")
        except ValidationError:
            fail("apply_url", f"'{apply_url[:80]}' is not a web address (http:// or https://)")
    values["apply_url"] = apply_url
    apply_email = text("apply_email")
    if apply_email:
        try:
            _email(apply_email)
            if len(apply_email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            fail("apply_email", f"'{apply_email}' is not an email address")
    values["apply_email"] = apply_email

    website = text("company_website")
    if website:
        try:
            _url(website)
            if len(website) > 200:
                raise ValidationError("too long")
        except ValidationError:
            fail("company_website", f"'{website[:80]}' is not a web address")

    deadline = None
    if text("application_deadline"):
        try:
            deadline = _date(text("application_deadline"))
        except ValueError as exc:
            fail("application_deadline", str(exc))
    values["application_deadline"] = deadline

    published_at = expires_at = None
    if raw.published_at:
        key, value = raw.published_at
        try:
            published_at = _datetime(value)
        except ValueError as exc:
            problems.append(ImportIssue(raw.label, key, str(exc)))
    if raw.expires_at:
        key, value = raw.expires_at
        # A bad value is reported on application_deadline (the same key).
        with contextlib.suppress(ValueError):
            expires_at = _datetime(value)
    elif deadline:
        expires_at = _end_of_day(deadline)
    past_deadline = False
    if values["status"] == PostingStatus.PUBLISHED and expires_at and expires_at <= now:
        # A feed re-imported after a deadline passed must not be rejected for it.
        values["status"] = PostingStatus.EXPIRED
        past_deadline = True

    if problems:
        return None, problems

    external_id = text("external_id")
    if not external_id:
        basis = "|".join(
            [text("company").lower(), values["title"].lower()]
            + sorted("/".join(p).lower() for p in places)
        )
        external_id = "auto-" + hashlib.sha1(basis.encode()).hexdigest()[:20]  # noqa: S324
    return (
        CleanRow(
            label=raw.label,
            external_id=external_id,
            company=text("company"),
            company_website=website,
            group=text("group"),
            places=places,
            fields=values,
            published_at=published_at,
            expires_at=expires_at,
            past_deadline=past_deadline,
        ),
        [],
    )


# --------------------------------------------------------------------------------------------
# Writing


class _Rollback(Exception):
    pass


def _unique_company_slug(name: str) -> str:
    base = slugify(name)[:200] or "company"
    slug, n = base, 2
    while Company.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


class _Cache:
    def __init__(self) -> None:
        self.groups: dict[str, CompanyGroup] = {}
        self.companies: dict[str, Company] = {}
        self.locations: dict[tuple[str, str, str], Location] = {}

    def group(self, name: str) -> CompanyGroup | None:
        if not name:
            return None
        if name.lower() not in self.groups:
            group = CompanyGroup.objects.filter(name__iexact=name).first()
            if group is None:
                group = CompanyGroup.objects.create(name=name)
            self.groups[name.lower()] = group
        return self.groups[name.lower()]

    def company(self, row: CleanRow) -> Company:
        key = row.company.lower()
        company = self.companies.get(key)
        if company is None:
            company = Company.objects.filter(name__iexact=row.company).order_by("pk").first()
            if company is None:
                company = Company.objects.create(
                    name=row.company,
                    slug=_unique_company_slug(row.company),
                    website=row.company_website,
                )
            self.companies[key] = company
        group = self.group(row.group)
        changed = []
        if row.company_website and not company.website:
            company.website = row.company_website
            changed.append("website")
        if group is not None and company.group_id != group.pk:
            company.group = group
            changed.append("group")
        if changed:
            company.save(update_fields=changed)
        return company

    def location(self, place: tuple[str, str, str]) -> Location:
        if place not in self.locations:
            city, region, country = place
            self.locations[place], _ = Location.objects.get_or_create(
                city=city, region=region, country=country
            )
        return self.locations[place]


BATCH = 1000


def _values(row: CleanRow, posting: Posting | None, *, company: Company, now: dt.datetime):
    """The Posting fields a row sets, given the existing posting (None when new)."""
    values = dict(row.fields)
    values["company_id"] = company.pk
    values["countries"] = sorted({p[2] for p in row.places})
    status = values["status"]
    existing_published = posting.published_at if posting else None
    if status in (PostingStatus.DRAFT, PostingStatus.SUBMITTED):
        values["published_at"] = row.published_at or existing_published
        values["expires_at"] = row.expires_at or (posting.expires_at if posting else None)
    else:
        published_at = row.published_at or existing_published or now
        values["published_at"] = published_at
        values["expires_at"] = (
            row.expires_at
            or (posting.expires_at if posting else None)
            or published_at + dt.timedelta(days=DEFAULT_EXPIRY_DAYS)
        )
    if status == PostingStatus.SUBMITTED:
        values["submitted_at"] = (posting.submitted_at if posting else None) or now
    if status == PostingStatus.CLOSED:
        values["closed_at"] = (posting.closed_at if posting else None) or now
    return values


def _write(valid: list[CleanRow], *, source: str, now: dt.datetime, report: ImportReport) -> None:
    """Create or update the rows' postings in bulk: a fixed number of queries per batch."""
    cache = _Cache()
    through = Posting.locations.through
    for start in range(0, len(valid), BATCH):
        rows = valid[start : start + BATCH]
        existing = {
            p.external_id: p
            for p in Posting.objects.select_for_update().filter(
                source=source, external_id__in=[r.external_id for r in rows]
            )
        }
        old_locations: dict[int, set[int]] = {}
        for posting_id, location_id in through.objects.filter(
            posting_id__in=[p.pk for p in existing.values()]
        ).values_list("posting_id", "location_id"):
            old_locations.setdefault(posting_id, set()).add(location_id)

        new: list[tuple[Posting, list[int]]] = []
        changed: list[Posting] = []
        changed_fields: set[str] = set()
        relink: dict[int, list[int]] = {}
        ids: list[int | None] = []
        for row in rows:
            company = cache.company(row)
            location_ids = list(dict.fromkeys(cache.location(p).pk for p in row.places))
            posting = existing.get(row.external_id)
            values = _values(row, posting, company=company, now=now)
            if posting is None:
                posting = Posting(source=source, external_id=row.external_id, **values)
                posting.slug = slugify(posting.title)[:200] or "job"
                new.append((posting, location_ids))
                ids.append(None)
                continue
            fields = [name for name, value in values.items() if getattr(posting, name) != value]
            for name in fields:
                setattr(posting, name, values[name])
            if "title" in fields:
                posting.slug = slugify(posting.title)[:200] or "job"
                fields.append("slug")
            if fields:
                posting.updated_at = now
                changed.append(posting)
                changed_fields.update(fields, ["updated_at"])
            if old_locations.get(posting.pk, set()) != set(location_ids):
                relink[posting.pk] = location_ids
            outcome = "updated" if fields or posting.pk in relink else "unchanged"
            setattr(report, outcome, getattr(report, outcome) + 1)
            if outcome == "updated":
                report.changed_ids.append(posting.pk)
            ids.append(posting.pk)

        created = Posting.objects.bulk_create([p for p, _ in new], batch_size=250)
        report.created += len(created)
        for posting, location_ids in zip(created, [loc for _, loc in new], strict=True):
            relink[posting.pk] = location_ids
        if changed:
            Posting.objects.bulk_update(changed, sorted(changed_fields), batch_size=250)
        if relink:
            through.objects.filter(posting_id__in=list(relink)).delete()
            through.objects.bulk_create(
                [
                    through(posting_id=pk, location_id=location_id)
                    for pk, location_ids in relink.items()
                    for location_id in location_ids
                ]
            )
        report.changed_ids += [p.pk for p in created]
        if created or changed or relink:
            bump_generation()  # bulk writes send no signal
        created_ids = iter(p.pk for p in created)
        report.posting_ids += [pk if pk is not None else next(created_ids) for pk in ids]


def enqueue_summaries(ids: list[int]) -> None:
    """Summarize the postings in the background once the transaction commits (the summary
    engine's Celery task, one per posting)."""
    if not ids:
        return
    try:
        from jobs.summary.tasks import summarize_posting
    except ImportError:  # pragma: no cover - the summary engine ships with the board
        return
    ids = list(ids)

    def send() -> None:
        for posting_id in ids:
            summarize_posting.delay(posting_id)

    transaction.on_commit(send, robust=True)  # broker down: logged, not raised after commit


def _refresh_search(ids: list[int]) -> None:
    try:
        from jobs.board.search import refresh_search_vectors
    except ImportError:  # the search module is not there yet
        return
    refresh_search_vectors(ids)


def too_big_message(size: int, max_bytes: int = MAX_BYTES) -> str:
    """What a file over the size limit is told (the upload form says it before reading it)."""
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; the limit is "
        f"{max_bytes / 1024 / 1024:.0f} MB. Split it into smaller files."
    )


def check_file(
    data: bytes, filename: str = "", *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> tuple[str, int]:
    """Check a file's envelope without validating its rows: size, encoding, format, header and
    row count. Returns (format, number of rows); raises `FileRejected` naming the problem. The
    staff upload answers these at once, before the import runs in the background."""
    if len(data) > max_bytes:
        raise FileRejected(too_big_message(len(data), max_bytes))
    fmt, rows = read_rows(data, filename, max_rows=max_rows, warnings=[])
    return fmt, len(rows)


def import_postings(
    data: bytes,
    *,
    filename: str = "",
    source: str = DEFAULT_SOURCE,
    skip_invalid: bool = False,
    dry_run: bool = False,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> ImportReport:
    """Validate and import a whole file; see the module docstring for the rules."""
    source = (source or DEFAULT_SOURCE).strip()[:50]
    report = ImportReport(
        source=source, filename=filename, dry_run=dry_run, skip_invalid=skip_invalid
    )
    if len(data) > max_bytes:
        report.errors.append(ImportIssue("", "", too_big_message(len(data), max_bytes)))
        return report
    try:
        report.format, raw_rows = read_rows(
            data, filename, max_rows=max_rows, warnings=report.warnings
        )
    except FileRejected as exc:
        report.errors.append(ImportIssue("", "", str(exc)))
        return report
    report.rows = len(raw_rows)

    now = timezone.now()
    valid: list[CleanRow] = []
    first_seen: dict[str, str] = {}
    for raw in raw_rows:
        clean, problems = validate_row(raw, now=now)
        if clean is not None:
            earlier = first_seen.get(clean.external_id)
            if earlier:
                column = raw.keys.get("external_id", "external_id")
                if clean.external_id.startswith("auto-"):
                    message = f"repeats {earlier} (same company, title and locations)"
                    column = ""
                else:
                    message = f"'{clean.external_id}' repeats {earlier}"
                problems = [ImportIssue(raw.label, column, message)]
                clean = None
            else:
                first_seen[clean.external_id] = raw.label
        if clean is not None:
            valid.append(clean)
        elif skip_invalid:
            report.skipped.append(SkippedRow(raw.label, problems))
        else:
            report.errors.extend(problems)
    if report.errors:
        return report
    past = [row.label for row in valid if row.past_deadline]
    if past:
        shown = ", ".join(past[:10]) + (f" and {len(past) - 10} more" if len(past) > 10 else "")
        report.warnings.append(
            f"{len(past)} row(s) past their deadline were imported as expired: {shown}."
        )
    if not valid:
        report.errors.append(ImportIssue("", "", "No row is valid; nothing was imported."))
        return report

    try:
        with transaction.atomic():
            _write(valid, source=source, now=now, report=report)
            if dry_run:
                report.posting_ids = []
                report.changed_ids = []
                raise _Rollback
            _refresh_search(report.posting_ids)
            enqueue_summaries(report.changed_ids)
    except _Rollback:
        pass
    except DatabaseError as exc:
        report.created = report.updated = report.unchanged = 0
        report.posting_ids = report.changed_ids = []
        report.errors.append(
            ImportIssue("", "", f"The database refused the import; nothing was saved ({exc}).")
        )
    return report
