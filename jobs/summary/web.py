"""What the summary and match templates (templates/jobs/summary/_summary.html) need."""

from __future__ import annotations

import hashlib
from typing import Any

from jobs.models import Posting
from jobs.summary import ENGINE_VERSION, match_skills, source_text
from jobs.summary.types import SECTION_LABELS, SECTIONS, Summary


def posting_summary_data(posting: Posting) -> dict | None:
    """The stored summary, or one computed now (not stored: a GET changes nothing; the Celery
    task stores it) when the posting has none yet."""
    if posting.summary:
        return posting.summary
    from jobs.summary.services import posting_summary_compute

    return posting_summary_compute(posting=posting)


# The facts the posting page shows from the posting's own fields (its tags, Key facts and
# company panel): the summary does not repeat them there.
PAGE_FACTS = frozenset(
    {"employment_type", "level", "workplace", "locations", "salary", "deadline", "review_policy"}
)


def summary_context(
    *,
    posting: Posting,
    user,
    summary: dict | None = None,
    personal: bool = True,
    shown_facts: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """personal=False for a staff review: the reviewer's own skills say nothing about the job,
    so no match panel at all. `shown_facts`: fact keys the page already shows (PAGE_FACTS on
    the posting page and the search's pane), left out of the summary's facts."""
    data = summary if summary is not None else posting_summary_data(posting)
    parsed = Summary.from_dict(data or {})
    authenticated = bool(personal and user and user.is_authenticated)
    match = None
    profile_skills: list[str] = []
    if authenticated and data:
        profile = getattr(user, "profile", None)
        profile_skills = list(profile.skills) if profile else []
        match = match_skills(parsed, profile_skills)
    matched = set(match.matched) if match else set()
    # The quote each item cites, read from the description at its span (when the description
    # is still the text the summary was made from), for the highlighting script.
    text = source_text(posting.description) if data else ""
    valid = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest() == parsed.text_sha1

    def cite(obj, fallback: str = "") -> dict:
        quote = text[obj.start : obj.end] if valid and obj.start is not None else fallback
        return {"item": obj, "quote": quote}

    return {
        "posting": posting,
        "summary": parsed if data else None,
        "stale": bool(data) and parsed.version < ENGINE_VERSION,
        "sections": [
            {
                "key": key,
                "label": SECTION_LABELS[key],
                "items": [cite(i, i.text) for i in parsed.section(key)],
            }
            for key in SECTIONS
            if parsed.section(key)
        ],
        "overview": [cite(i, i.text) for i in parsed.overview],
        # Facts that only restate the posting's fields are in the page's Key facts already;
        # the summary shows what it found in the text, each with its source sentence.
        "facts": [
            c for c in (cite(f) for f in parsed.facts if f.key not in shown_facts) if c["quote"]
        ],
        "skills": [{"skill": s, "have": s.name in matched} for s in parsed.skills],
        "match": match,
        "authenticated": authenticated,
        "personal": personal,
    }


DEGREES = {"high_school": "High school", "associate": "Associate's degree",
           "bachelor": "Bachelor's degree", "master": "Master's degree", "phd": "PhD"}  # fmt: skip


def summary_line(summary: dict | None, limit: int = 4) -> str:
    """One short line for result lists: top skills · experience · review · application limit."""
    if not summary or summary.get("status") != "ok":
        return ""
    parsed = Summary.from_dict(summary)
    parts = []
    skills = [s.name for s in parsed.skills if s.importance != "preferred"][:limit]
    if skills:
        parts.append(", ".join(skills))
    years = parsed.fact("years_experience")
    if years and years.source == "text":
        parts.append(f"{years.value} experience")
    education = parsed.fact("education")
    if education and isinstance(education.data, list) and education.data:
        parts.append(DEGREES.get(education.data[0], ""))
    limit_fact = parsed.fact("application_limit")
    if limit_fact and isinstance(limit_fact.data, dict) and limit_fact.data.get("limit"):
        parts.append(f"max {limit_fact.data['limit']} applications")
    return " · ".join(p for p in parts if p)


def summary_lines(postings: list[Posting]) -> dict[int, str]:
    """Each posting's `summary_line`, by id, for rows loaded without their summary (search hits:
    decoding 20 stored summaries cost PostgreSQL about 3 ms a page). The lines are kept per
    posting version in this process; the summaries of the postings whose line is not kept yet
    are read in one query (none for rows annotated `has_summary=False`)."""
    lines: dict[int, str] = {}
    missing = []
    for posting in postings:
        if not getattr(posting, "has_summary", True):  # known from the row: nothing to read
            continue
        line = _LINES.get(_line_key(posting.pk, posting.summary_version, posting.updated_at))
        if line is None:
            missing.append(posting.pk)
        else:
            lines[posting.pk] = line
    if missing:
        rows = Posting.objects.filter(pk__in=missing).values_list(
            "pk", "summary_version", "updated_at", "summary"
        )
        for pk, version, updated_at, summary in rows:
            lines[pk] = _keep_line(_line_key(pk, version, updated_at), summary_line(summary))
    return lines


def kept_summary_line(posting: Posting) -> str:
    """The summary line of a posting whose summary is loaded, kept per posting version."""
    summary = getattr(posting, "summary", None)
    if not summary or not posting.pk:
        return summary_line(summary)
    key = _line_key(posting.pk, getattr(posting, "summary_version", None), posting.updated_at)
    line = _LINES.get(key)
    return _keep_line(key, summary_line(summary)) if line is None else line


def _line_key(pk: int, version: int | None, updated_at) -> tuple:
    return (pk, version, str(updated_at))


def _keep_line(key: tuple, line: str) -> str:
    if len(_LINES) >= 20_000:  # a few MB at most; a crawl of a big board starts it again
        _LINES.clear()
    _LINES[key] = line
    return line


_LINES: dict[tuple, str] = {}


def external_job_posting(*, title: str, text: str) -> Posting:
    """An unsaved Posting carrying the summary of an external job's pasted text, so the same
    summary and match templates serve jobs from outside the board. Computed per view: the
    local engine takes a few milliseconds, and nothing is stored on a GET."""
    from jobs.summary import summarize

    posting = Posting(title=title, description=text)
    posting.summary = summarize(text, title).to_dict()
    return posting
