"""{% posting_summary panel %} on the posting page (the panel computed by the view with
jobs.summary.web.summary_context), {% posting_summary_line posting %} in lists,
{% posting_match posting skills %} (a score badge; `skills` are the reader's profile skills, read
once by the view, None for anonymous readers). The tags run no query: views read the data."""

import json

from django import template

from jobs.summary import match_skills
from jobs.summary.web import summary_line

register = template.Library()


@register.inclusion_tag("jobs/summary/_summary.html#summary", takes_context=True)
def posting_summary(context, panel: dict) -> dict:
    return {**panel, "request": context.get("request")}


@register.simple_tag
def posting_summary_line(posting) -> str:
    # Parsing a stored summary is the costliest part of a result card: kept per posting version.
    # Search hits carry the summary as JSON text (`summary_json`; their `summary` is deferred,
    # reading it would be a query per card), decoded only when the line is not kept yet.
    if "summary_json" in posting.__dict__:
        raw = posting.summary_json
        if not raw or not posting.pk:
            return ""

        def load() -> dict | None:
            return json.loads(raw)
    else:
        summary = getattr(posting, "summary", None)
        if not summary or not posting.pk:
            return summary_line(summary)

        def load() -> dict | None:
            return summary

    key = (posting.pk, getattr(posting, "summary_version", None), str(posting.updated_at))
    line = _LINES.get(key)
    if line is None:
        if len(_LINES) > 5_000:
            _LINES.clear()
        line = _LINES[key] = summary_line(load())
    return line


_LINES: dict[tuple, str] = {}


@register.inclusion_tag("jobs/summary/_summary.html#match_badge")
def posting_match(posting, skills: list[str] | None) -> dict:
    """The reader's match with a posting's stored summary, as a badge (nothing without skills
    from the view, i.e. anonymous readers, or for postings not summarized yet)."""
    summary = getattr(posting, "summary", None)
    if skills is None or not (summary and summary.get("status") == "ok"):
        return {"match": None}
    return {"match": match_skills(summary, list(skills))}
