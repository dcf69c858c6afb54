"""The local engine: deterministic, no network, no model."""

from __future__ import annotations

import bisect
import hashlib
import re
from typing import Any

from jobs.summary import facts as fact_patterns
from jobs.summary.skills import vocabulary
from jobs.summary.text import BULLET, HEADING, Block, Sentence, parse, sentences
from jobs.summary.types import STATUS_INSUFFICIENT, Fact, Item, Skill, Summary

MIN_WORDS = 12
MAX_ITEMS = 15  # per section
MAX_SKILLS = 40
MAX_ITEM_CHARS = 400

# --- headings -------------------------------------------------------------------------------

_HEADING_KINDS = [
    ("eeo", r"equal (employment )?opportunit|diversity|inclusion|\beeo\b|accommodation|non-?discrimination"),
    ("preferred", r"prefer|nice[- ]to[- ]have|bonus|\bplus(es)?\b|desired|desirable|ideal(ly)?\b(?! candidate)"
                  r"|good to have|extra credit|optional|wünschenswert|von vorteil|un plus|deseable"),
    ("benefits", r"benefit|perks|what we offer|we offer|compensation|salary|\bpay\b|why (join|work)"
                 r"|in it for you|rewards|wir bieten|avantages|beneficios|what you get|what you'll get"),
    ("required", r"about you|who you are|what you (bring|need|have)|what you'll bring|you have|you bring"
                 r"|requirement|required|qualification|must[- ]have|skills|experience|looking for"
                 r"|ideal candidate|you should|minimum|basic|competenc|your (profile|background)"
                 r"|anforderungen|dein profil|ihr profil|profil|requisitos|votre profil|qualifikation"),
    ("responsibilities", r"responsib|what you('ll| will) (do|be doing|work on|own)|duties|day[- ]to[- ]day"
                         r"|in this role|your (impact|mission|tasks)|key tasks|\btasks\b|aufgaben"
                         r"|deine aufgaben|ihre aufgaben|missions|responsabilit|what the job involves"
                         r"|you will|you'll|your day|what you'll be doing"),
    ("role", r"about the (role|team|job|position|opportunity|internship)|the role|role overview|overview"
             r"|the opportunity|job description|position|summary|the team|the job|description"
             r"|the internship|program"),
    ("company", r"about (us|the company|[A-Z])|who we are|our (mission|story|company|culture|values)"
                r"|company|culture|life at|über uns|qui sommes"),
    ("apply", r"how to apply|application|apply|next steps|hiring process|interview|logistics"
              r"|additional information|important|key dates|location|details|timeline|deadline"),
]  # fmt: skip
_HEADING_RES = [(kind, re.compile(p, re.I)) for kind, p in _HEADING_KINDS]
LIST_SECTIONS = ("responsibilities", "required", "preferred", "benefits")


def heading_kind(text: str) -> str:
    for kind, pattern in _HEADING_RES:
        if (
            kind == "company"
            and pattern.search(text)
            and re.search(r"about (the )?(role|team|job|you)", text, re.I)
        ):
            continue
        if pattern.search(text):
            return kind
    return "other"


# --- sentence classes ---------------------------------------------------------------------

_EEO = re.compile(
    r"equal (employment )?opportunit|without regard to|regardless of (race|gender|age|sex|religion)"
    r"|protected (veteran|characteristic|status)|reasonable accommodation|e-verify|affirmative action"
    r"|(celebrate|value|embrace|committed to) (diversity|inclusion)|diverse and inclusive|\bEEO\b"
    r"|national origin|sexual orientation|gender identity|disability status|discriminat"
    r"|chancengleichheit|background check|privacy (notice|policy)",
    re.I,
)
_CHROME = re.compile(
    r"^(?:(apply( now| here| today| online| for this (job|position|role))?|share( this)?( job| posting)?"
    r"|save( this)?( job)?|back to( all)?( jobs| search| results)?|print|sign in|log ?in|sign up|register"
    r"|report( this)?( job)?|view all( jobs)?|similar jobs|see all( jobs)?|see more|read more|copy link"
    r"|cookies?|accept( all)?( cookies)?|skip to( content)?|menu|home|careers|jobs|follow us|tweet|like"
    r"|email this( job)?)\W*$|(posted|job id|req(uisition)? id|reference|ref\.?)\b)",
    re.I,
)
_APPLY = re.compile(
    r"\bapply by\b|applications? (close|closes|are due|deadline)|\bdeadline\b|\bhow to apply\b"
    r"|send (us )?your (cv|resume|application)|rolling basis|applications? (are|will be) (reviewed|considered)"
    r"|closing date",
    re.I,
)
_MARKETING = re.compile(
    r"we('re| are) (a|an|the) (leading|global|world|fast|innovative|award|premier|top|trusted|pioneer)"
    r"|industry[- ]leading|world[- ]class|award[- ]winning|best[- ]in[- ]class|market leader"
    r"|our mission|founded in|headquartered|trusted by|millions of (users|customers|people)|fortune 500"
    r"|join (us|our team)\b(?! (as|in))|we're proud|backed by|unicorn|series [a-e]\b|our values"
    r"|our (products|platform|company) (is|are) used",
    re.I,
)
_PREFERRED = re.compile(
    r"nice[- ]to[- ]have|\bbonus\b(?! (plan|scheme|structure|program|eligib))|\b(a|is a|are a|big|huge) plus\b"
    r"|\bpreferred\b|\bpreferably\b|\bideally\b|desirable|\bdesired\b|good to have|would be (great|nice|helpful)"
    r"|advantageous|an advantage|extra credit|not required|is a bonus|von vorteil|wünschenswert",
    re.I,
)
_BENEFITS = re.compile(
    r"health (insurance|care|benefits|plan)|healthcare|dental|vision (insurance|plan|coverage)|401\(?k"
    r"|pension|paid time off|\bPTO\b|vacation|holidays?\b|parental leave|maternity|paternity"
    r"|stock options|equity (package|grant|compensation)|\bRSUs?\b|wellness|gym|stipend|learning budget"
    r"|commuter|free (lunch|meals|snacks)|catered|relocation (assistance|support|package)|visa sponsorship"
    r"|flexible (hours|working|schedule|work)|life insurance|childcare|employee discount|sabbatical"
    r"|(development|education|training) budget|we offer|you('ll| will) (get|receive|enjoy)|benefits include"
    r"|competitive (salary|pay|compensation)|perks|home office|urlaub|bonus (plan|scheme)|housing",
    re.I,
)
_REQUIRED = re.compile(
    r"\byou (have|are|bring|possess|hold)\b|\byou('ve| have) (got|had)\b|you('ll| will| should| must) (have|bring|need|be able)"
    r"|\brequired\b|\brequirements?\b|\bmust\b|\bminimum\b|\bat least\b|\d+\+? years|\byears of\b"
    r"|experience (with|in|using|building|working)|experienced|proficien|strong (knowledge|understanding|background|skills|grasp)"
    r"|degree\b|bachelor|master'?s|ph\.? ?d|knowledge of|familiar(ity)? with|understanding of|ability to|able to"
    r"|fluen(t|cy)|currently (pursuing|enrolled)|enrolled in|\bskills? in\b|background in|track record"
    r"|comfortable (with|working)|expertise in|solid (grasp|understanding)|hands-on experience",
    re.I,
)
_RESP_STRONG = re.compile(
    r"^(as an? [^,]{1,60}, )?(you('ll|’ll| will)|you'd|you would)(?! (have|bring|need|be expected to have|be able|get|receive|enjoy|join|love))"
    r"|\bresponsible for\b|\bin this role,? you\b|\byour (responsibilities|day|role) (will|includes?)",
    re.I,
)
_RESP_WEAK = re.compile(
    r"\byou (will|'ll)\b|\bwill be (responsible|working|building|developing|designing|joining)"
    r"|\bday[- ]to[- ]day\b|\bduties\b|\bwork (closely )?with\b|\bcollaborate\b|\bpartner with\b",
    re.I,
)
_HIRING = re.compile(r"\b(looking for|seeking|hiring|searching for|we need)\b", re.I)
_VERB_START = re.compile(
    r"^(build|design|develop|create|implement|maintain|own|lead|drive|collaborate|partner|work|write"
    r"|research|analy[sz]e|improve|support|manage|help|deliver|define|ship|test|review|monitor|deploy"
    r"|operate|coordinate|conduct|prepare|present|communicate|mentor|contribute|investigate|evaluate"
    r"|train|prototype|architect|optimi[sz]e|scale|automate|document|identify|ensure|participate"
    r"|assist|handle|plan|develop|translate|engage|establish|oversee|track|report|run|serve|greet"
    r"|process|answer|respond|resolve|clean|stock|organi[sz]e|schedule|sell|negotiate|recruit)\b",
    re.I,
)
_ROLE_CUE = re.compile(
    r"looking for|seeking|\bjoin\b|\brole\b|\bposition\b|\bintern(ship)?\b|\byou will\b|\byou'll\b"
    r"|\bteam\b|\bopportunity\b|\bhiring\b|\bwe need\b",
    re.I,
)


def classify(s: Sentence) -> str | None:
    text = s.text
    if _EEO.search(text):
        return "drop"
    if len(text.split()) <= 6 and _CHROME.match(text) or s.block.links_only:
        return "drop"
    if _PREFERRED.search(text):
        return "preferred"
    if _BENEFITS.search(text):
        return "benefits"
    if _RESP_STRONG.search(text):
        return "responsibilities"
    if _REQUIRED.search(text):
        return "required"
    if _RESP_WEAK.search(text):
        return "responsibilities"
    if s.block.kind == BULLET and _VERB_START.match(text):
        return "responsibilities"
    return None


# --- assembly --------------------------------------------------------------------------------

_STOPWORDS = set(
    ["the", "and", "to", "of", "a", "in", "for", "with", "you", "we", "our", "is", "are", "on", "as", "be", "will", "or", "your", "this", "that", "an", "at", "by", "from", "have", "has", "it", "can", "all", "who", "about", "work", "team"]
)  # fmt: skip


def _item(s: Sentence) -> Item:
    if len(s.text) > MAX_ITEM_CHARS:
        cut = s.text.rfind(" ", 0, MAX_ITEM_CHARS)
        cut = cut if cut > 0 else MAX_ITEM_CHARS
        return Item(text=s.text[:cut], start=s.start, end=s.start + cut)
    return Item(text=s.text, start=s.start, end=s.end)


def _chrome_blocks(blocks: list[Block]) -> set[int]:
    """Blocks of page chrome in a whole page's text (jobs.clip.chrome): a chrome heading ("Track
    This Job", "AI-Powered Job Summary", "People also viewed") takes the paragraph and the list
    under it; a chrome line ("Easy Apply", "Pro Tip: …") goes on its own."""
    from jobs.clip.chrome import is_chrome_heading, is_chrome_line

    out: set[int] = set()
    inside = paragraph_taken = False
    for i, block in enumerate(blocks):
        if is_chrome_heading(block.text) or (
            is_chrome_line(block.text) and block.text.endswith(":")
        ):
            out.add(i)
            inside, paragraph_taken = True, block.text.endswith(":")
        elif is_chrome_line(block.text) or inside and block.kind == BULLET:
            out.add(i)
        elif inside and block.kind != HEADING and not paragraph_taken:
            out.add(i)
            paragraph_taken = not block.text.endswith(":")
        else:
            inside = False
    return out


_WE_ARE = re.compile(r"^we(?:'re| are) (?:a|an)\b", re.I)


def _about_company(text: str, company: str) -> bool:
    """A sentence whose subject is the employer ("Northwind Logistics builds freight software.",
    "We are a small studio."): it describes the company, not the job, so its words are not the
    job's skills. One that also speaks of the role ("…is hiring a Data Engineer") is kept."""
    if _ROLE_CUE.search(text):
        return False
    if company and text.casefold().startswith(company.casefold()):
        return True
    return bool(_WE_ARE.match(text))


def _units(blocks: list[Block], company: str = "") -> list[tuple[Sentence, str, str]]:
    """Each sentence of the posting with its section (by heading) and its class."""
    out = []
    section = "intro"
    chrome = _chrome_blocks(blocks)
    for index, block in enumerate(blocks):
        if index in chrome:
            out += [(s, section, "drop") for s in sentences(block)]
            continue
        if block.kind == HEADING:
            section = heading_kind(block.text)
            out.append((sentences(block)[0], section, "heading"))
            continue
        units = sentences(block)
        if block.kind == BULLET and len(block.text) <= MAX_ITEM_CHARS and len(units) > 1:
            units = [Sentence(block.text, block.start, block.end, block)]
        for s in units:
            kind = classify(s)
            if section in ("intro", "role") and kind == "required" and _HIRING.search(s.text):
                kind = None  # "We are looking for PhD students to…" describes the role
            if kind == "drop" or section == "eeo":
                out.append((s, section, "drop"))
                continue
            if section in LIST_SECTIONS:
                if _APPLY.search(s.text):
                    kind = "apply"
                elif s.text.endswith(":") or len(s.text.split()) < 3 and block.kind != BULLET:
                    kind = "intro"
                elif section == "required" and kind == "preferred":
                    kind = "preferred"
                elif section == "benefits" or kind not in ("preferred", "benefits"):
                    kind = section
            elif section == "company":
                kind = "company"
            elif section == "apply":
                kind = "apply"
            elif section in ("role", "intro", "other") and kind is None:
                describes = _MARKETING.search(s.text) or _about_company(s.text, company)
                kind = "company" if describes else "overview"
            out.append((s, section, kind or "overview"))
    return out


def _overview(units: list[tuple[Sentence, str, str]], title: str) -> list[Item]:
    candidates = [
        s for s, section, kind in units
        if kind in ("overview", "responsibilities", "company") and section in ("intro", "role", "other", "company")
        and len(s.text.split()) >= 6 and not s.text.endswith(":")
    ]  # fmt: skip
    title_words = {w.lower() for w in re.findall(r"\w{4,}", title)}

    def score(s: Sentence) -> int:
        value = 0
        if _ROLE_CUE.search(s.text) or title_words & {
            w.lower() for w in re.findall(r"\w{4,}", s.text)
        }:
            value += 2
        if _MARKETING.search(s.text):
            value -= 2
        return value

    scored = [(score(s), s) for s in candidates]
    if any(value >= 0 for value, _ in scored):  # marketing only when there is nothing else
        scored = [(value, s) for value, s in scored if value >= 0]
    ranked = [s for _, s in sorted(scored, key=lambda pair: (-pair[0], pair[1].start))[:2]]
    if not ranked:  # no intro at all: the first two points of the posting
        ranked = [s for s, _, kind in units if kind in LIST_SECTIONS][:2]
    return [_item(s) for s in sorted(ranked, key=lambda s: s.start)]


def _skills(text: str, units: list[tuple[Sentence, str, str]]) -> list[Skill]:
    starts = [s.start for s, _, _ in units]
    found: dict[str, Skill] = {}
    kinds: dict[str, set[str]] = {}
    for m in vocabulary().find(text):
        i = bisect.bisect_right(starts, m.start) - 1
        kind = units[i][2] if i >= 0 and m.start < units[i][0].end + 1 else "overview"
        if kind in ("drop", "benefits", "company"):
            continue
        name = m.entry.name
        if name not in found:
            found[name] = Skill(name=name, category=m.entry.category, start=m.start, end=m.end)
        kinds.setdefault(name, set()).add(kind)
    for name, skill in found.items():
        k = kinds[name]
        skill.importance = (
            "required" if "required" in k else "preferred" if k == {"preferred"} else "mentioned"
        )
    order = {"required": 0, "mentioned": 1, "preferred": 2}
    return sorted(found.values(), key=lambda s: (order[s.importance], s.start))[:MAX_SKILLS]


def known_fact(key: str, raw: Any) -> Fact | None:
    if raw in (None, "", [], {}):
        return None
    label = fact_patterns.LABELS.get(key, key.replace("_", " ").capitalize())
    if isinstance(raw, dict) and "value" in raw:
        return Fact(key, label, str(raw["value"]), raw.get("data"), source="posting")
    if isinstance(raw, list | tuple):
        return Fact(key, label, "; ".join(str(x) for x in raw), list(raw), source="posting")
    return Fact(
        key, label, str(raw), raw if isinstance(raw, int | float) else None, source="posting"
    )


def _locations(sents: list[Sentence]) -> Fact | None:
    """Locations, gathered over a run of list items ("- Seattle, WA", "- New York, NY")."""
    for i, s in enumerate(sents):
        first = fact_patterns.locations([s])
        if not first:
            continue
        names, end = list(first.data), first.end
        if s.block.kind == BULLET:
            for nxt in sents[i + 1 :]:
                more = fact_patterns.locations([nxt]) if nxt.block.kind == BULLET else None
                if not more:
                    break
                names += [n for n in more.data if n not in names]
                end = more.end
        return Fact("locations", first.label, "; ".join(names), names, first.start, end)
    return None


def _english_ratio(text: str) -> float:
    words = re.findall(r"[a-zA-Z\u00c0-\u024f]+", text[:2000].lower())
    return sum(w in _STOPWORDS for w in words) / len(words) if words else 0.0


def summarize_local(
    posting_text: str, title: str = "", known_facts: dict | None = None, company: str = ""
) -> Summary:
    from jobs.summary import ENGINE_VERSION

    text, blocks = parse(posting_text)
    summary = Summary(
        engine="local", version=ENGINE_VERSION, title=title or "", text_length=len(text),
        text_sha1=hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest(),
    )  # fmt: skip
    units = _units(blocks, company)
    content = [s for s, _, kind in units if kind not in ("drop", "heading")]
    words = sum(len(s.text.split()) for s in content)
    facts: dict[str, Fact] = {}
    if words < MIN_WORDS:
        summary.status = STATUS_INSUFFICIENT
        summary.message = "Not enough text to summarize."
    else:
        for s, _, kind in units:
            if kind in LIST_SECTIONS:
                items = summary.section(kind)
                if len(items) < MAX_ITEMS:
                    items.append(_item(s))
        summary.overview = _overview(units, title)
        # In a posting with headed sections, an intro sentence already in the overview is not
        # repeated in a list that has other points.
        headed = any(kind == "heading" and section in LIST_SECTIONS for _, section, kind in units)
        intro = {(s.start, s.end) for s, section, _ in units if section in ("intro", "role")}
        shown = {(i.start, i.end) for i in summary.overview} & intro if headed else set()
        for name in LIST_SECTIONS:
            items = summary.section(name)
            kept = [i for i in items if (i.start, i.end) not in shown]
            if kept:
                items[:] = kept
        summary.skills = _skills(text, units)
        fact_sents = [s for s, _, kind in units if kind != "drop"]
        facts = fact_patterns.extract(fact_sents, title)
        if loc := _locations(fact_sents):
            facts["locations"] = loc
        if _english_ratio(text) < 0.05 and words >= 30:
            summary.message = (
                "This posting does not seem to be in English: the summary keeps to the facts and "
                "skills found in it."
            )
    if not facts.get("employment_type") and (f := fact_patterns.employment_type([], title)):
        facts["employment_type"] = f
    if not facts.get("level") and (f := fact_patterns.level([], title)):
        facts["level"] = f
    for key, raw in (known_facts or {}).items():
        if key not in facts and (f := known_fact(key, raw)):
            facts[key] = f
    order = {k: i for i, k in enumerate(fact_patterns.ORDER)}
    summary.facts = sorted(facts.values(), key=lambda f: order.get(f.key, 99))
    return summary
