"""Extract a job from a page's URL and HTML (or plain text). Pure functions: no database.

schema.org `JobPosting` first (JSON-LD, then microdata/RDFa via extruct): what Greenhouse, Lever,
Ashby, Workday, SmartRecruiters, LinkedIn and Indeed publish, with `@graph`, arrays,
HTML-escaped descriptions and missing or mistyped fields. What it leaves empty comes from the
page itself: meta tags, the first heading, and the main text (trafilatura) after the chrome is
stripped (jobs.clip.chrome).
"""

from __future__ import annotations

import contextlib
import html as htmllib
import itertools
import json
import math
import re
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urljoin, urlsplit

import extruct
import jstyleson
import lxml.html
import trafilatura
from courlan import normalize_url
from django.utils.dateparse import parse_date, parse_datetime
from lxml import etree

from jobs.clip import chrome
from jobs.clip.types import Clip
from jobs.sanitize import clean_html

MAX_DESCRIPTION = 60_000
_TRACKING_PARAMS = re.compile(r"^(utm_\w+|gh_src|gh_jid_src|source|src|ref|refid|trk|trackingid"
                              r"|lipi|fbclid|gclid|mc_\w+|_hs\w+|from|vjk|tk|jsa)$", re.I)  # fmt: skip

EMPLOYMENT_TYPES = {
    "FULL_TIME": "Full-time", "FULLTIME": "Full-time", "PART_TIME": "Part-time",
    "PARTTIME": "Part-time", "CONTRACTOR": "Contract", "CONTRACT": "Contract",
    "TEMPORARY": "Temporary", "INTERN": "Internship", "INTERNSHIP": "Internship",
    "VOLUNTEER": "Volunteer", "PER_DIEM": "Per diem", "OTHER": "Other",
}  # fmt: skip
_UNITS = {"HOUR": "an hour", "DAY": "a day", "WEEK": "a week", "MONTH": "a month", "YEAR": "a year"}
_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}


# --- entry point ------------------------------------------------------------------------------


def extract(*, url: str = "", html: str = "", text: str = "") -> Clip:
    """Everything we can tell about the job on this page."""
    clip = Clip(url=(url or "").strip())
    # The page is parsed once: JSON-LD, microdata, meta tags and the main text all read this
    # tree (the main text last, as it strips the chrome in place).
    doc = chrome.parse_page(html) if html and html.strip() else None
    if doc is not None:
        posting, source = find_job_posting(html, base_url=clip.url, doc=doc)
        if posting:
            from_job_posting(clip, posting)
            clip.source = source
        _from_meta(clip, doc)
        if not clip.description_text:
            _from_main_text(clip, doc)
    elif text:
        clip.source = "text"
        clip.description_text = chrome.strip_text(text)[:MAX_DESCRIPTION]
        _from_text(clip, clip.description_text)
    _from_description(clip)
    if not clip.company:
        clip.company = getattr(clip, "_site_name", "")[:200]
    clip.canonical_url = canonical_url(clip.canonical_url or clip.url)
    if clip.apply_url:
        clip.apply_url = urljoin(clip.url, clip.apply_url) if clip.url else clip.apply_url
    return clip


# --- schema.org JobPosting --------------------------------------------------------------------


def json_ld_blocks(doc) -> list[Any]:
    """Every JSON-LD script that parses, each on its own (one broken script must not hide the
    others, as it does in extruct's JSON-LD extractor)."""
    out = []
    for script in doc.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        raw = (script.text or "").strip()
        raw = re.sub(r"^\s*<!--|-->\s*$", "", raw).strip()
        if not raw:
            continue
        for loads in (lambda s: json.loads(s, strict=False), jstyleson.loads):
            try:
                out.append(loads(raw))
                break
            except (ValueError, TypeError):
                continue
    return out


def _is_job_posting(node: dict) -> bool:
    types = node.get("@type") or node.get("type") or []
    types = types if isinstance(types, list) else [types]
    return any(str(t).rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "JobPosting" for t in types)


def _walk(node: Any):
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "item"):
            if key in node:
                yield from _walk(node[key])


_MARKED_POSTING = '//*[contains(@itemtype, "JobPosting") or contains(@typeof, "JobPosting")]'


def find_job_posting(html: str, *, base_url: str = "", doc=None) -> tuple[dict | None, str]:
    doc = doc if doc is not None else chrome.parse_page(html)
    if doc is None:
        return None, ""
    for node in _walk(json_ld_blocks(doc)):
        if _is_job_posting(node):
            return node, "json-ld"
    if "jobposting" not in html.lower():
        return None, ""  # no microdata/RDFa JobPosting; pyRdfa on a big page costs seconds
    # extruct reads only the marked element (and what it holds), not the whole page: its
    # parsers on a megabyte page cost seconds.
    marked = doc.xpath(_MARKED_POSTING)
    if not marked:
        return None, ""
    posting = bounded_copy(marked[0], max_elements=MAX_MAIN_ELEMENTS, max_chars=MAX_DESCRIPTION * 2)
    part = lxml.html.tostring(posting, encoding="unicode")
    syntaxes = ["microdata"] + (["rdfa"] if "typeof" in part else [])
    try:
        data = extruct.extract(
            f"<html><body>{part}</body></html>", base_url=base_url or None, syntaxes=syntaxes,
            uniform=True, errors="ignore",
        )  # fmt: skip
    except Exception:  # noqa: BLE001 - a third-party parser on arbitrary pages
        return None, ""
    for syntax in ("microdata", "rdfa"):
        for node in _walk(data.get(syntax) or []):
            if _is_job_posting(node):
                return _flatten_rdfa(node) if syntax == "rdfa" else node, syntax
    return None, ""


def _flatten_rdfa(node: dict) -> dict:
    out = {}
    for key, value in node.items():
        name = key.rsplit("/", 1)[-1]
        if (
            isinstance(value, list)
            and value
            and isinstance(value[0], dict)
            and "@value" in value[0]
        ):
            value = value[0]["@value"] if len(value) == 1 else [v.get("@value") for v in value]
        out[name] = value
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or value.get("value"))
    if isinstance(value, list):
        return next((t for t in (_text(v) for v in value) if t), "")
    return " ".join(htmllib.unescape(str(value)).split())


def _list(value: Any) -> list:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _location_name(loc: Any) -> str:
    if isinstance(loc, str):
        return _text(loc)
    if not isinstance(loc, dict):
        return ""
    address = loc.get("address", loc)
    if isinstance(address, list):
        address = address[0] if address else {}
    if isinstance(address, str):
        return _text(address)
    if not isinstance(address, dict):
        return _text(loc.get("name"))
    parts = [_text(address.get(k)) for k in ("addressLocality", "addressRegion", "addressCountry")]
    parts = [p for i, p in enumerate(parts) if p and p not in parts[:i]]
    return ", ".join(parts) or _text(loc.get("name"))


def from_job_posting(clip: Clip, jp: dict) -> Clip:
    clip.title = _text(jp.get("title") or jp.get("name"))[:200]
    clip.company = _text(jp.get("hiringOrganization"))[:200]
    locations = [_location_name(loc) for loc in _list(jp.get("jobLocation"))]
    clip.locations = [loc for i, loc in enumerate(locations) if loc and loc not in locations[:i]]
    kinds = " ".join(str(x) for x in _list(jp.get("jobLocationType"))).upper()
    if "TELECOMMUTE" in kinds or "REMOTE" in kinds:
        clip.workplace = "remote"
        if not clip.locations:
            remote_in = [_text(r) for r in _list(jp.get("applicantLocationRequirements"))]
            clip.locations = [f"Remote ({r})" if r else "Remote" for r in remote_in] or ["Remote"]
    types = []
    for raw in _list(jp.get("employmentType")):
        for part in re.split(r"[,/]", str(raw)):
            key = re.sub(r"[\s-]+", "_", part.strip()).upper()
            name = EMPLOYMENT_TYPES.get(key) or (part.strip().capitalize() if part.strip() else "")
            if name and name not in types:
                types.append(name)
    clip.employment_type = ", ".join(types)[:50]
    clip.salary, clip.salary_data = salary_from_schema(
        jp.get("baseSalary") or jp.get("estimatedSalary")
    )
    clip.date_posted = _date(jp.get("datePosted"))
    clip.valid_through = _datetime(jp.get("validThrough"))
    clip.apply_url = _text(jp.get("url") or jp.get("sameAs"))
    description = jp.get("description")
    if isinstance(description, str) and description.strip():
        raw = description
        if "&lt;" in raw and "<" not in raw.replace("&lt;", ""):
            raw = htmllib.unescape(raw)  # an HTML-escaped description
        if not re.search(r"<[a-zA-Z]", raw):
            raw = "".join(f"<p>{htmllib.escape(p)}</p>" for p in raw.split("\n") if p.strip())
        cleaned = clean_html(chrome.strip_html(raw) if "<" in raw else raw)
        clip.description_html = cleaned[:MAX_DESCRIPTION]
        clip.description_text = chrome.strip_text(html_to_text(cleaned))[:MAX_DESCRIPTION]
    return clip


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value) if abs(value) < 1e15 else math.inf
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        cleaned = re.sub(r"[^\d.]", "", value.replace(",", ""))
        if len(cleaned) > 15:
            return None  # no salary has that many digits (and float() would say inf)
        if not cleaned:
            return None
        try:
            parsed = float(cleaned)
        except ValueError:
            return None
        return parsed if math.isfinite(parsed) else None
    return None


def _money(n: float) -> str:
    return f"{n:,.0f}" if n >= 100 or n == int(n) else f"{n:,.2f}"


def salary_from_schema(value: Any) -> tuple[str, dict | None]:
    """schema.org MonetaryAmount (with a QuantitativeValue, a number or a range) as text."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        n = _number(value)
        if isinstance(value, str) and not n:
            return _text(value)[:100], None
        return (_money(n), {"min": n, "max": n}) if n else ("", None)
    if not isinstance(value, dict):
        return "", None
    currency = _text(value.get("currency")).upper()[:3]
    inner = value.get("value", value)
    if isinstance(inner, dict):
        low = _number(inner.get("minValue"))
        high = _number(inner.get("maxValue"))
        single = _number(inner.get("value"))
        unit = _text(inner.get("unitText") or value.get("unitText")).upper()
    else:
        low = high = None
        single = _number(inner)
        unit = _text(value.get("unitText")).upper()
    low = low or single
    if not low:
        return "", None
    high = high or single or low
    amount = _money(low) if low == high else f"{_money(low)}–{_money(high)}"
    words = " ".join(filter(None, [currency, amount, _UNITS.get(unit, unit.lower())]))
    return words[:100], {"currency": currency, "min": low, "max": high, "unit": unit}


_SALARY_TEXT = re.compile(
    r"(?P<cur>[$€£]|USD|EUR|GBP|CAD|AUD|CHF)\s?(?P<low>\d[\d,.]*\s?[kK]?)"
    r"(?:\s?(?:-|–|—|to)\s?(?:[$€£]|USD|EUR|GBP|CAD|AUD|CHF)?\s?(?P<high>\d[\d,.]*\s?[kK]?))?"
    r"(?:\s?(?:/|per|an?)\s?(?P<unit>hour|hr|year|yr|annum|month|week|day))?",
    re.I,
)


def salary_from_text(text: str) -> tuple[str, dict | None]:
    for m in _SALARY_TEXT.finditer(text or ""):

        def amount(raw: str | None) -> float | None:
            if not raw:
                return None
            n = _number(raw)
            return n * 1000 if n and raw.strip().lower().endswith("k") else n

        low, high = amount(m.group("low")), amount(m.group("high"))
        if not low or (
            low < 1000 and not m.group("unit") and m.group("low").strip()[-1:].lower() != "k"
        ):
            continue  # "$5" or "€20 off": not a salary
        cur = _CURRENCY_SIGNS.get(m.group("cur"), m.group("cur").upper())
        unit = {"hr": "HOUR", "yr": "YEAR", "annum": "YEAR"}.get(
            (m.group("unit") or "").lower(), (m.group("unit") or "").upper()
        )
        return m.group(0).strip()[:100], {
            "currency": cur, "min": low, "max": high or low, "unit": unit,
        }  # fmt: skip
    return "", None


def _date(value: Any) -> date | None:
    raw = _text(value)
    if not raw:
        return None
    try:
        dt = parse_datetime(raw)
        return dt.date() if dt else parse_date(raw[:10])
    except ValueError:
        return None


def _valid_date(raw: str) -> bool:
    try:
        return parse_date(raw) is not None
    except ValueError:
        return False


def _datetime(value: Any) -> datetime | None:
    """validThrough: a date means the end of that day (UTC); a wrong value means nothing."""
    raw = _text(value)
    if not raw:
        return None
    if re.fullmatch(r"\d{4}-\d\d-\d\d", raw):
        d = parse_date(raw) if _valid_date(raw) else None
        return datetime.combine(d, time(23, 59), tzinfo=UTC) if d else None
    try:
        dt = parse_datetime(
            raw.replace(" ", "T", 1) if re.match(r"\d{4}-\d\d-\d\d \d", raw) else raw
        )
        if dt:
            return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
        d = parse_date(raw[:10])
    except ValueError:
        return None
    return datetime.combine(d, time(23, 59), tzinfo=UTC) if d else None


# --- the page itself ------------------------------------------------------------------------


def html_to_text(html: str) -> str:
    """Block-aware text of sanitized HTML: one line per paragraph, heading or list item."""
    doc = chrome.parse_html(f"<div>{html}</div>")
    if doc is None:
        return ""
    for el in doc.iter("li"):
        el.text = "- " + (el.text or "")
    for el in doc.iter("br"):
        el.tail = "\n" + (el.tail or "")
    for el in doc.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "tr"):
        el.tail = (
            "\n\n" + (el.tail or "")
            if el.tag in ("p", "ul", "ol") or el.tag[0] == "h"
            else ("\n" + (el.tail or ""))
        )
    text = doc.text_content()
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _meta(doc, *names: str) -> str:
    # iter("meta") filters in C and makes objects for the meta tags only; an XPath per name
    # walked a big page three times.
    found = {}
    for el in doc.iter("meta"):
        for key in (el.get("property"), el.get("name")):
            if key in names and key not in found and (el.get("content") or "").strip():
                found[key] = el.get("content")
    for name in names:
        if name in found:
            return " ".join(found[name].split())
    return ""


_TITLE_AT = re.compile(
    r"^(?:job application for )?(?P<title>.+?) (?:at|@) (?P<company>[^|–—-]+)", re.I
)


def _from_meta(clip: Clip, doc) -> None:
    canonical = [
        el.get("href") for el in doc.iter("link") if (el.get("rel") or "").lower() == "canonical"
    ]
    canonical = [href for href in canonical if href]
    clip.canonical_url = (canonical[0].strip() if canonical else "") or _meta(doc, "og:url")
    heading = ""
    for h1 in doc.xpath("(//h1)[position() <= 50]"):
        candidate = chrome.short_text(h1, 1000)  # None for an h1 that wraps the page
        if candidate and not chrome.is_chrome_heading(candidate):
            heading = candidate
            break
    page_title = _meta(doc, "og:title", "twitter:title") or " ".join(
        (doc.findtext(".//title") or "").split()
    )
    if not clip.title or not clip.company:
        m = _TITLE_AT.match(page_title) or _TITLE_AT.match(heading)
        if m:
            clip.title = clip.title or m.group("title").strip()[:200]
            clip.company = clip.company or m.group("company").strip()[:200]
    if not clip.title:
        clip.title = (heading or re.split(r"\s[|–—-]\s", page_title)[0]).strip()[:200]
    if not clip.apply_url:
        # Filtered by XPath (in C): a Python loop over every link of a big page cost 0.2 s.
        for a in doc.xpath(_APPLY_LINKS):
            clip.apply_url = a.get("href")
    clip._site_name = _meta(doc, "og:site_name")  # type: ignore[attr-defined]  # last resort


_APPLY_LINKS = (
    '(//a[starts-with(@href, "http") or starts-with(@href, "/")]'
    '[starts-with(translate(normalize-space(.), "APLY", "aply"), "apply")])[1]'
)
# trafilatura's time grows with the page (1.3 MB, 75,000 elements: over a second even with
# fast=True); past this many elements it reads only the part of the page that holds the posting.
MAX_MAIN_ELEMENTS = 3000
MAX_SCORED_BLOCKS = 50_000


def main_part(doc):
    """The part of a (stripped) page that holds the posting, small enough for trafilatura: the
    whole page when it is small; else its <main> (or role=main, or the one <article>) when that
    is small; else the element whose own paragraphs and list items hold the most text, widened
    to its parent while that stays small. Linear in the page."""
    body = doc.find("body")
    root = body if body is not None else doc
    if int(root.xpath("count(.//*)")) <= MAX_MAIN_ELEMENTS:
        return root
    for xpath in ("//main", '//*[@role="main"]', "//article"):
        found = doc.xpath(xpath)
        if len(found) == 1 and int(found[0].xpath("count(.//*)")) <= MAX_MAIN_ELEMENTS:
            return found[0]
    scores: dict = {}
    blocks = root.iter("p", "li", "h2", "h3", "h4", "td", "pre", "blockquote")
    # The first MAX_SCORED_BLOCKS text blocks only: a posting sits in them, and scoring all of a
    # page of 125,000 paragraphs was most of its time.
    for block in itertools.islice(blocks, MAX_SCORED_BLOCKS):
        holder = block.getparent()
        if holder is not None and holder.tag in ("ul", "ol", "tbody", "tr"):
            holder = holder.getparent()
        if holder is not None:
            # Its own text only (a list of links scores nothing: that is navigation).
            scores[holder] = scores.get(holder, 0) + len(block.text or "")
    if not scores:
        return root  # no paragraphs at all: trafilatura has little to do either
    best = max(scores, key=scores.__getitem__)
    parent = best.getparent()
    if parent is not None and int(parent.xpath("count(.//*)")) <= MAX_MAIN_ELEMENTS:
        best = parent
    return best


def bounded_copy(part, *, max_elements: int, max_chars: int):
    """A copy of `part` cut after `max_elements` elements or `max_chars` characters of text, in
    document order: trafilatura's time grows faster than its input (a 2 MB paragraph took 3 s,
    125,000 paragraphs 34 s), and no more than MAX_DESCRIPTION characters are kept anyway.
    Only what is kept is copied (libxml2 nests elements at most 255 deep, so the recursion is
    bounded too)."""
    budget = {"elements": max_elements, "chars": max_chars}

    def take(text: str | None) -> str | None:
        if not text:
            return text
        kept = text[: max(0, budget["chars"])]
        budget["chars"] -= len(text)
        return kept

    def copy_of(el):
        budget["elements"] -= 1
        new = el.makeelement(el.tag, el.attrib)
        new.text = take(el.text)
        for child in el:
            if budget["elements"] <= 0 or budget["chars"] <= 0:
                break
            if not isinstance(child.tag, str):
                continue  # comments are stripped already; entities and the like are not text
            new.append(copy_of(child))
            new[-1].tail = take(child.tail)
        return new

    return copy_of(part)


def _from_main_text(clip: Clip, doc) -> None:
    chrome.strip_kinds(doc)
    # trafilatura reads a document: the part that holds the posting, copied (it edits the tree
    # it gets) and cut to what it reads in bounded time; the chrome lines go from the copy.
    kept = bounded_copy(
        main_part(doc), max_elements=MAX_MAIN_ELEMENTS, max_chars=MAX_DESCRIPTION * 2
    )
    chrome.strip_lines(kept)
    # Serialized (bounded, so cheap): trafilatura parses it into its own lxml.html tree.
    inner = etree.tostring(kept, method="html", encoding="unicode", with_tail=False)
    if kept.tag != "html":
        inner = (
            f"<html>{inner}</html>" if kept.tag == "body" else f"<html><body>{inner}</body></html>"
        )
    main = trafilatura.extract(
        inner, output_format="html", include_links=False, include_images=False,
        include_tables=True, include_comments=False, favor_recall=True,
        fast=True,  # no readability/jusText fallbacks: they triple the time on big pages
    ) or ""  # fmt: skip
    text = ""
    if main:
        cleaned = clean_html(main)
        text = chrome.strip_text(html_to_text(cleaned))
        clip.description_html = cleaned[:MAX_DESCRIPTION]
    if not text:
        text = chrome.strip_text("".join(kept.itertext())[: MAX_DESCRIPTION * 2])
    # Repeated title at the top of the main text adds nothing to the description.
    clip.description_text = text[:MAX_DESCRIPTION]
    clip.source = clip.source or "text"


_LABELLED = {
    "company": re.compile(r"^(?:company|employer|organi[sz]ation)\s*[:|]\s*(.+)$", re.I | re.M),
    "location": re.compile(r"^(?:location|locations|based in|office)\s*[:|]\s*(.+)$", re.I | re.M),
    "employment_type": re.compile(
        r"^(?:employment type|job type|type|contract)\s*[:|]\s*(.+)$", re.I | re.M
    ),
}


def _from_text(clip: Clip, text: str) -> None:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return
    first = lines[0]
    m = _TITLE_AT.match(first)
    if m:
        clip.title, clip.company = m.group("title").strip()[:200], m.group("company").strip()[:200]
    elif len(first) <= 120:
        clip.title = first[:200]
        if len(lines) > 1 and len(lines[1]) <= 80 and not _LABELLED["location"].match(lines[1]):
            clip.company = lines[1][:200] if not re.search(r"[.!?]$", lines[1]) else ""


def _from_description(clip: Clip) -> None:
    """Fill what is still empty from the description's own words."""
    text = clip.description_text
    if not text:
        return
    if not clip.company and (m := _LABELLED["company"].search(text)):
        clip.company = m.group(1).strip()[:200]
    if not clip.locations and (m := _LABELLED["location"].search(text)):
        clip.locations = [p.strip() for p in re.split(r"\s*[;|/]\s*", m.group(1)) if p.strip()][:5]
    if not clip.employment_type and (m := _LABELLED["employment_type"].search(text)):
        clip.employment_type = m.group(1).strip()[:50]
    if not clip.salary:
        clip.salary, clip.salary_data = salary_from_text(text)
    if not clip.workplace:
        head = " ".join([clip.title, clip.location, text[:1500]]).lower()
        if re.search(r"\bhybrid\b", head):
            clip.workplace = "hybrid"
        elif re.search(
            r"\b(fully remote|remote[- ]first|100% remote|remote)\b",
            " ".join([clip.title, clip.location]).lower(),
        ):
            clip.workplace = "remote"
        elif re.search(r"\b(on-?site|in[- ]office)\b", head):
            clip.workplace = "onsite"


def canonical_url(url: str) -> str:
    """The URL that identifies the job: scheme and host lower-cased, tracking parameters, the
    fragment and a trailing slash dropped (two clips of one job from different links match)."""
    url = (url or "").strip()
    if not url or not urlsplit(url).scheme.startswith("http"):
        return ""
    with contextlib.suppress(ValueError, AttributeError):
        url = normalize_url(url, strict=False)
    parts = urlsplit(url)
    query = "&".join(
        pair
        for pair in parts.query.split("&")
        if pair and not _TRACKING_PARAMS.match(pair.split("=")[0])
    )
    path = parts.path.rstrip("/") or "/"
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}" + (f"?{query}" if query else "")


def from_text_or_html(*, url: str = "", content: str = "") -> Clip:
    """The paste page's one box: HTML when it looks like HTML, else plain text."""
    if re.search(r"<(html|body|div|p|script|h1|section|article|ul|li)\b", content or "", re.I):
        return extract(url=url, html=content)
    return extract(url=url, text=content)
