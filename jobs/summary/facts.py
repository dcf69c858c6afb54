"""Fact patterns: employment type, level, years of experience, education, workplace,
locations, salary, deadline, review policy and the application limit."""

from __future__ import annotations

import datetime as dt
import re

from jobs.summary.text import Sentence
from jobs.summary.types import Fact

LABELS = {
    "employment_type": "Employment type",
    "level": "Level",
    "years_experience": "Experience",
    "education": "Education",
    "workplace": "Workplace",
    "locations": "Locations",
    "salary": "Salary",
    "deadline": "Application deadline",
    "review_policy": "Review",
    "application_limit": "Application limit",
}
ORDER = list(LABELS)

NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
                "twenty": 20, "a single": 1, "single": 1}  # fmt: skip
_NUM = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"


def _any(s: Sentence, words: tuple[str, ...]) -> bool:
    """A cheap test before the regular expressions: most sentences state no fact."""
    low = s.low
    return any(w in low for w in words)


def _num(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, 0)


def _fact(key: str, value: str, data, s: Sentence, a: int | None = None, b: int | None = None):
    """A fact cited by its sentence (or by a part of it, a/b relative to the sentence)."""
    start = s.start if a is None else s.start + a
    end = s.end if b is None else s.start + b
    return Fact(key=key, label=LABELS[key], value=value, data=data, start=start, end=end)


# --- employment type and level -------------------------------------------------------------

_TYPES = [
    ("internship", "Internship", r"\bintern(ship)?s?\b|\bco-?op\b|\bwerkstudent|\bpraktik"),
    ("part_time", "Part-time", r"\bpart[- ]time\b|\bteilzeit\b"),
    ("contract", "Contract", r"\b(contract(or)?|freelance|fixed[- ]term)\b"),
    ("temporary", "Temporary", r"\b(temporary|seasonal)\b"),
    ("full_time", "Full-time", r"\bfull[- ]time\b|\bpermanent\b|\bvollzeit\b"),
]
_TYPE_WORDS = ("intern", "co-op", "coop", "werkstudent", "praktik", "part", "teilzeit", "contract",
               "freelance", "fixed", "temporary", "seasonal", "full", "permanent", "vollzeit")  # fmt: skip
_LEVELS = [
    ("internship", "Internship", r"\bintern(ship)?\b"),
    ("executive", "Executive", r"\b(vp|vice president|chief|cto|ceo|cfo|head of)\b"),
    ("manager", "Manager", r"\b(manager|director)\b"),
    ("lead", "Lead / principal", r"\b(lead|principal|staff|architect)\b"),
    ("senior", "Senior", r"\b(senior|sr\.?)\b"),
    ("entry", "Entry level", r"\b(junior|jr\.?|entry[- ]level|graduate|new grad|trainee)\b"),
    ("mid", "Mid level", r"\b(mid[- ]level|intermediate)\b"),
]


def _from_title(title: str, table) -> tuple[str, str] | None:
    for code, label, pattern in table:
        if re.search(pattern, title, re.I):
            return code, label
    return None


def employment_type(sents: list[Sentence], title: str) -> Fact | None:
    for s in sents:
        if not _any(s, _TYPE_WORDS):
            continue
        for code, label, pattern in _TYPES:
            if re.search(pattern, s.text, re.I):
                if code == "contract" and re.search(
                    r"contract(ual)? (law|management)", s.text, re.I
                ):
                    continue
                return _fact("employment_type", label, code, s)
    if hit := _from_title(title, _TYPES):
        return Fact("employment_type", LABELS["employment_type"], hit[1], hit[0], source="title")
    return None


def level(sents: list[Sentence], title: str) -> Fact | None:
    if hit := _from_title(title, _LEVELS):
        return Fact("level", LABELS["level"], hit[1], hit[0], source="title")
    labels = {code: label for code, label, _ in _LEVELS}
    for s in sents:
        if not _any(s, ("level", "junior")):
            continue
        if m := re.search(
            r"\b(entry[- ]level|mid[- ]level|senior[- ]level|junior)\b", s.text, re.I
        ):
            code = _level_code(m.group(1))
            return _fact("level", labels[code], code, s, m.start(), m.end())
    return None


def _level_code(word: str) -> str:
    w = word.lower()
    if w.startswith(("entry", "junior")):
        return "entry"
    if w.startswith("mid"):
        return "mid"
    return "senior"


# --- years of experience ------------------------------------------------------------------

_YEARS = re.compile(
    rf"(?:(?P<atleast>at least|minimum of|a minimum of|min\.?|over|more than)\s+)?"
    rf"(?P<a>{_NUM})\s*(?P<plus>\+)?\s*(?:(?:-|–|—|to)\s*(?P<b>{_NUM})\s*\+?\s*)?"
    rf"(?P<orm>or more\s+)?(?:years?|yrs?)\b(?:\s*\+)?",
    re.I,
)


def years_experience(sents: list[Sentence]) -> Fact | None:
    for s in sents:
        if not _any(s, ("year", "yr")):
            continue
        if not re.search(
            r"experience|experienced|working|professional|industry|track record", s.text, re.I
        ):
            continue
        for m in _YEARS.finditer(s.text):
            tail = s.text[m.end() : m.end() + 40].lower()
            head = s.text[max(0, m.start() - 30) : m.start()].lower()
            if re.match(r"\s*(old|ago|of (age|history|growth|operation))", tail) or re.search(
                r"(for|over the past|in the last|founded)\s*$", head
            ):
                continue
            a, b = _num(m.group("a")), _num(m.group("b") or "")
            if not 0 < a <= 30:
                continue
            data: dict[str, int | None]
            if b and b > a:
                value, data = f"{a}–{b} years", {"min": a, "max": b}
            else:
                value, data = f"{a}+ years", {"min": a, "max": None}
            return _fact("years_experience", value, data, s, m.start(), m.end())
    return None


# --- education ---------------------------------------------------------------------------

_DEGREES = [
    ("high_school", "High school diploma", r"(?i:\bhigh school (diploma|degree)\b)|\bGED\b"),
    ("associate", "Associate's degree", r"(?i:\bassociate'?s? degree\b)"),
    ("bachelor", "Bachelor's degree",
     r"(?i:\bbachelor'?s?\b|\bundergraduate (degree|student|program))|\bB\.?\s?(?:S|A|Sc|Eng)\.?(?![A-Za-z])"),
    ("master", "Master's degree",
     r"(?i:\bmaster'?s?\b(?! data)|\bgraduate degree)|\bM\.?\s?(?:S|Sc|A|Eng)\.?(?![A-Za-z])|\bMBA\b"),
    ("phd", "PhD", r"\bPh\.?\s?D\b\.?|(?i:\bdoctora(te|l)\b)"),
]  # fmt: skip
_EDU_CUE = re.compile(
    r"(?i:degree|bachelor|master|diploma|student|enrolled|pursuing|graduat|doctora|\bphd\b|\bph\.d)"
    r"|\b(?:BS|MS|BA|MA|BSc|MSc|MBA)\b"
)


_EDU_WORDS = ("degree", "bachelor", "master", "diploma", "student", "enrolled", "pursuing", "graduat",
              "doctora", "phd", "ph.d", "ph. d", "bs", "ms", "ba", "ma", "bsc", "msc", "mba", "ged", "b.", "m.")  # fmt: skip


def education(sents: list[Sentence]) -> Fact | None:
    for s in sents:
        if not _any(s, _EDU_WORDS):
            continue
        if not _EDU_CUE.search(s.text):
            continue
        found: list[tuple[str, str]] = []
        first, last = len(s.text), 0
        for code, label, pattern in _DEGREES:
            if m := re.search(pattern, s.text):
                found.append((code, label))
                first, last = min(first, m.start()), max(last, m.end())
        if not found:
            continue
        labels = [label for _, label in found]
        value = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
        if m := re.search(
            r"^[^.;]{0,40}?\b(?:in|of)\s+((?:[A-Z][\w&-]*(?:,? (?:and |or )?| )?){1,6})",
            s.text[last:],
        ):
            subject = m.group(1).strip(" ,")
            subject = re.sub(r",? (and|or)$", "", subject)
            if subject:
                value += f" in {subject}"
        if re.search(r"currently (pursuing|enrolled)|enrolled in|working towards", s.text, re.I):
            value += " (currently enrolled)"
        return _fact("education", value, [c for c, _ in found], s)
    return None


# --- workplace ---------------------------------------------------------------------------

_WORKPLACE = [
    ("hybrid", "Hybrid", r"\bhybrid\b(?! cloud| model| app| ai| search)"),
    ("remote", "Remote",
     r"\b(fully|100%|completely) remote\b|\bremote[- ](first|friendly|only|position|role|work|job|opportunity)"
     r"|\bwork (from home|remotely)\b|\(remote\)|^remote\b|\bremote(ly)? (within|from|in)\b|\bis remote\b"),
    ("onsite", "On-site", r"\bon[- ]?site\b|\bin[- ]office\b|\bin[- ]person\b|\bfrom our .{0,30}office"),
]  # fmt: skip


def workplace(sents: list[Sentence]) -> Fact | None:
    for s in sents:
        if not _any(s, ("remote", "hybrid", "site", "office", "person", "home")):
            continue
        for code, label, pattern in _WORKPLACE:
            if re.search(pattern, s.text, re.I):
                return _fact("workplace", label, code, s)
    return None


# --- locations ---------------------------------------------------------------------------

_US_STATES = set(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
        "ON",
        "BC",
        "QC",
        "AB",
        "MB",
        "NS",
    ]
)
_CITIES = (
    "London|Berlin|Munich|Hamburg|Frankfurt|Paris|Lyon|Amsterdam|Rotterdam|Dublin|Madrid|Barcelona"
    "|Lisbon|Porto|Rome|Milan|Zurich|Geneva|Vienna|Prague|Warsaw|Krakow|Budapest|Stockholm|Oslo"
    "|Copenhagen|Helsinki|Brussels|Edinburgh|Manchester|Cambridge|Oxford|Tallinn|Athens|Bucharest"
    "|New York|New York City|San Francisco|Seattle|Austin|Boston|Chicago|Los Angeles|San Jose"
    "|Mountain View|Palo Alto|Sunnyvale|Menlo Park|Redmond|Denver|Atlanta|Miami|Washington"
    "|Toronto|Vancouver|Montreal|Singapore|Tokyo|Beijing|Shanghai|Shenzhen|Hong Kong|Seoul"
    "|Bangalore|Bengaluru|Hyderabad|Mumbai|Pune|Delhi|Sydney|Melbourne|Auckland|Tel Aviv|Dubai"
    "|São Paulo|Sao Paulo|Mexico City|Buenos Aires|Cape Town|Nairobi|Lagos"
)
_CITY_STATE = re.compile(r"\b((?:[A-Z][a-z]+\.?\s){0,2}[A-Z][a-z]+),\s([A-Z]{2})\b")
_CITY = re.compile(rf"\b({_CITIES})\b")
_LOCATION_LINE = re.compile(r"^(?:locations?|based in|office|where)\s*[:\-–]\s*(.+)$", re.I)


def locations(sents: list[Sentence]) -> Fact | None:
    for s in sents:
        hits: list[tuple[int, int, str]] = []
        for m in _CITY_STATE.finditer(s.text):
            if m.group(2) in _US_STATES:
                hits.append((m.start(), m.end(), f"{m.group(1)}, {m.group(2)}"))
        if not hits:
            for m in _CITY.finditer(s.text):
                hits.append((m.start(), m.end(), m.group(1)))
        if not hits and (line := _LOCATION_LINE.match(s.text)):
            parts = [
                p.strip(" .") for p in re.split(r";|\||/| or ", line.group(1)) if p.strip(" .")
            ]
            if parts and all(len(p) < 60 for p in parts):
                return _fact("locations", "; ".join(parts), parts, s)
        if hits:
            names = list(dict.fromkeys(h[2] for h in hits))
            return _fact("locations", "; ".join(names), names, s)
    return None


# --- salary -----------------------------------------------------------------------------

_CODES = "USD|EUR|GBP|CAD|AUD|NZD|CHF|INR|JPY|SEK|NOK|DKK|PLN|SGD|HKD|BRL|MXN|ZAR|CZK|HUF|ILS|AED"
_SYMBOLS = {"US$": "USD", "CA$": "CAD", "C$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD",
            "HK$": "HKD", "S$": "SGD", "R$": "BRL", "$": "USD", "€": "EUR", "£": "GBP",
            "¥": "JPY", "₹": "INR", "₩": "KRW", "₪": "ILS"}  # fmt: skip
_WORD_CUR = {"dollars": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP"}
_PRE = rf"(?P<{{n}}pre>US\$|CA\$|C\$|A\$|AU\$|NZ\$|HK\$|S\$|R\$|\$|€|£|¥|₹|₩|₪|(?:{_CODES})\s?)"
_AMT = r"(?P<{n}amt>\d{{1,3}}(?:[,.\u202f\u00a0' ]\d{{3}})+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?)\s?(?P<{n}k>[kK]\b|m\b)?"
_POST = rf"(?P<{{n}}post>\s?(?:{_CODES}|€|dollars|euros?|pounds)\b|\s?€)?"
_SAL = re.compile(
    (_PRE + "?" + _AMT + _POST).format(n="a")
    + r"(?:\s*(?:-|–|—|to|and|bis|à)\s*"
    + (_PRE + "?" + _AMT + _POST).format(n="b")
    + ")?",
    re.I,
)
_PERIOD = re.compile(
    r"^\s*(?:(?:per|an|a|each|/|every)\s*(?P<unit>hour|hr|h|year|yr|annum|month|mo|week|wk|day)\b"
    r"|(?P<adv>hourly|annually|yearly|monthly|weekly|daily|p\.?\s?a\.?(?=\W|$)|p\.?\s?h\.?(?=\W|$)))",
    re.I,
)
_UNIT = {"hour": "hour", "hr": "hour", "h": "hour", "hourly": "hour", "ph": "hour",
         "year": "year", "yr": "year", "annum": "year", "annually": "year", "yearly": "year",
         "pa": "year", "month": "month", "mo": "month", "monthly": "month", "week": "week",
         "wk": "week", "weekly": "week", "day": "day", "daily": "day"}  # fmt: skip
PERIOD_LABEL = {"hour": "per hour", "day": "per day", "week": "per week", "month": "per month",
                "year": "per year"}  # fmt: skip


def parse_amount(text: str, k: str | None) -> float | None:
    t = text.replace("\u202f", "").replace("\u00a0", "").replace("'", "").replace(" ", "")
    # "60.000" and "60,000": a separator followed by exactly three digits groups thousands.
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", t):
        t = re.sub(r"[.,]", "", t)
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+,\d{1,2}", t):
        t = t.replace(".", "").replace(",", ".")
    else:
        t = t.replace(",", "")
    try:
        value = float(t)
    except ValueError:
        return None
    if k:
        value *= 1000 if k.lower() == "k" else 1_000_000
    return value


def _currency(m: re.Match, n: str) -> str:
    pre = (m.group(f"{n}pre") or "").strip().upper()
    post = (m.group(f"{n}post") or "").strip().lower()
    if pre:
        return _SYMBOLS.get(pre, pre)
    if post:
        return _SYMBOLS.get(post, _WORD_CUR.get(post, post.upper()))
    return ""


def format_money(amount: float, currency: str) -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}.get(currency, "")
    num = f"{amount:,.2f}" if amount % 1 else f"{amount:,.0f}"
    return f"{symbol}{num}" if symbol else f"{num} {currency}".strip()


def salary_value(lo: float | None, hi: float | None, currency: str, period: str) -> str:
    parts = [format_money(x, currency) for x in (lo, hi) if x is not None]
    text = "–".join(dict.fromkeys(parts))
    return f"{text} {PERIOD_LABEL.get(period, '')}".strip()


def salary(sents: list[Sentence]) -> Fact | None:
    for s in sents:
        if not re.search(rf"[$€£¥₹₩₪]|\b(?:{_CODES})\b|dollars|euros|pounds", s.text, re.I):
            continue
        for m in _SAL.finditer(s.text):
            cur = _currency(m, "a") or (_currency(m, "b") if m.group("bamt") else "")
            if not cur:
                continue
            tail = s.text[m.end() : m.end() + 40]
            head = s.text[max(0, m.start() - 40) : m.start()].lower()
            if re.match(
                r"\s*(million|billion|bn|m\b|in (funding|revenue|sales))", tail, re.I
            ) or re.search(r"(raised|funding|revenue|valuation|budget of|worth)\W*\w*\W*$", head):
                continue
            lo = parse_amount(m.group("aamt"), m.group("ak"))
            hi = parse_amount(m.group("bamt"), m.group("bk")) if m.group("bamt") else None
            if lo is None:
                continue
            if hi is not None and m.group("ak") and not m.group("bk") and hi < lo:
                hi *= 1000  # "$120-150k"
            if hi is not None and m.group("bk") and not m.group("ak") and lo < hi / 100:
                lo *= 1000  # "$120–150k"
            if hi is not None and hi < lo:
                lo, hi = hi, lo
            end = m.end()
            period = ""
            if p := _PERIOD.match(tail):
                word = (p.group("unit") or p.group("adv")).lower().replace(".", "").replace(" ", "")
                period = _UNIT.get(word, "")
                end += p.end()
            if not period:
                ctx = s.text.lower()
                period = (
                    "hour" if re.search(r"hourly|per hour|an hour|/h(ou)?r\b", ctx)
                    else "month" if re.search(r"monthly|per month|a month", ctx)
                    else "year" if (hi or lo) >= 1000 else "hour"
                )  # fmt: skip
            if (hi or lo) < 5 or (period == "year" and (hi or lo) < 1000 and not m.group("ak")):
                continue
            data = {"min": lo, "max": hi, "currency": cur, "period": period}
            return _fact("salary", salary_value(lo, hi, cur, period), data, s, m.start(), end)
    return None


# --- deadline ----------------------------------------------------------------------------

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}  # fmt: skip
_MON = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<mdy>{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?)"
    rf"|(?P<dmy>\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?(?:\s+\d{{4}})?)"
    rf"|(?P<num>\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}})",
    re.I,
)
_DEADLINE_CUE = re.compile(
    r"deadline|apply by|applications? (close|closes|are due|due|must be (received|submitted))|closing date"
    r"|no later than|submit .{0,40}\bby\b|accepting applications (until|through)|open until|bewerbungsfrist"
    r"|date limite|apply before",
    re.I,
)


_DEADLINE_WORDS = ("deadline", "apply", "application", "closing", "later than", "until", "submit",
                   "bewerbung", "date limite", "due")  # fmt: skip


def parse_date(text: str) -> dt.date | None:
    m = _DATE.search(text)
    if not m:
        return None
    try:
        if m.group("iso"):
            return dt.date.fromisoformat(m.group("iso"))
        if m.group("num"):
            a, b, y = (int(x) for x in re.split(r"[./]", m.group("num")))
            y = y + 2000 if y < 100 else y
            sep = "." if "." in m.group("num") else "/"
            day, month = (a, b) if (sep == "." or a > 12) else (b, a)
            return dt.date(y, month, day)
        chunk = m.group("mdy") or m.group("dmy")
        mon = re.search(
            r"[a-z]+",
            chunk.lower()
            .replace("of", "")
            .replace("st", "")
            .replace("nd", "")
            .replace("rd", "")
            .replace("th", ""),
        )
        month_named = _MONTHS.get((mon.group(0) if mon else "")[:3])
        nums = [int(x) for x in re.findall(r"\d+", chunk)]
        day = nums[0]
        year = nums[1] if len(nums) > 1 else None
        if not month_named or year is None:
            return None
        return dt.date(year, month_named, day)
    except (ValueError, IndexError):
        return None


def deadline(sents: list[Sentence]) -> Fact | None:
    for s in sents:
        if not _any(s, _DEADLINE_WORDS):
            continue
        if not _DEADLINE_CUE.search(s.text):
            continue
        if m := _DATE.search(s.text):
            date = parse_date(m.group(0))
            if date:
                return _fact(
                    "deadline", date.strftime("%-d %B %Y"), date.isoformat(), s, m.start(), m.end()
                )
            return _fact("deadline", m.group(0).strip(" ,"), None, s, m.start(), m.end())
    return None


# --- review policy and application limit ---------------------------------------------------

_ROLLING = re.compile(
    r"rolling (basis|review|admission|applications?)|reviewed? .{0,40}as (they are |they're )?(received|submitted|they (come|arrive))"
    r"|on a rolling|first[- ]come,? first[- ]served|laufend",
    re.I,
)
_AFTER = re.compile(
    r"(reviewed?|consider(ed)?|assess(ed)?) .{0,50}after the (deadline|closing date|application period)"
    r"|once the (application period|posting) (closes|has closed)|after (the )?applications close",
    re.I,
)


def review_policy(sents: list[Sentence]) -> Fact | None:
    for s in sents:
        if not _any(
            s, ("rolling", "as they", "first come", "first-come", "after", "once the", "laufend")
        ):
            continue
        if _ROLLING.search(s.text):
            return _fact(
                "review_policy", "Rolling: applications are reviewed as they arrive", "rolling", s
            )
        if _AFTER.search(s.text):
            return _fact(
                "review_policy",
                "All applications are reviewed after the deadline",
                "after_deadline",
                s,
            )
    return None


_LIMIT = re.compile(
    rf"(?:at most|up to|no more than|a maximum of|maximum of|max(?:imum)?\.?|limit(?:ed)? (?:of|to)|only)\s+"
    rf"(?P<n>{_NUM}|a single)\s+(?:\w+\s+){{0,2}}?(?:applications?|positions?|roles?|jobs?|postings?|openings?)",
    re.I,
)


def application_limit(sents: list[Sentence]) -> Fact | None:
    for s in sents:
        if not _any(s, ("most", "up to", "more than", "maximum", "max", "limit", "only")):
            continue
        m = _LIMIT.search(s.text)
        if not m or not re.search(r"appl(y|ication)|submit|consider", s.text, re.I):
            continue
        n = _num(m.group("n"))
        if not n or n > 20:
            continue
        word = {1: "one application", 2: "two applications", 3: "three applications"}.get(
            n, f"{n} applications"
        )
        value = f"Max {word}"
        affiliates = bool(re.search(r"affiliat|subsidiar|sister compan|group compan", s.text, re.I))
        if affiliates:
            value += " across the company and its affiliates"
        elif re.search(r"across|company|organi[sz]ation", s.text, re.I):
            value += " across the company"
        in_order = bool(re.search(r"in the order|order (they are|in which)", s.text, re.I))
        if in_order:
            value += ", considered in the order applied"
        data = {"limit": n, "affiliates": affiliates, "in_order": in_order}
        return _fact("application_limit", value, data, s)
    return None


EXTRACTORS = [years_experience, education, workplace, locations, salary, deadline, review_policy,
              application_limit]  # fmt: skip


def extract(sents: list[Sentence], title: str) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    for fn in (employment_type, level):
        if f := fn(sents, title):
            facts[f.key] = f
    for extractor in EXTRACTORS:
        if f := extractor(sents):
            facts[f.key] = f
    return facts
