"""{% posting_summary panel %} on the posting page (the panel computed by the view with
jobs.summary.web.summary_context), {% posting_summary_line posting %} in lists,
{% posting_match posting skills %} (a score badge; `skills` are the reader's profile skills, read
once by the view, None for anonymous readers). The tags run no query: views read the data."""

from django import template

from jobs.summary import match_skills
from jobs.summary.web import kept_summary_line

register = template.Library()


@register.inclusion_tag("jobs/summary/_summary.html#summary", takes_context=True)
def posting_summary(context, panel: dict) -> dict:
    return {**panel, "request": context.get("request")}


@register.simple_tag
def posting_summary_line(posting) -> str:
    return kept_summary_line(posting)


@register.inclusion_tag("jobs/summary/_summary.html#match_badge")
def posting_match(posting, skills: list[str] | None) -> dict:
    """The reader's match with a posting's stored summary, as a badge (nothing without skills
    from the view, i.e. anonymous readers, or for postings not summarized yet)."""
    summary = getattr(posting, "summary", None)
    if skills is None or not (summary and summary.get("status") == "ok"):
        return {"match": None}
    return {"match": match_skills(summary, list(skills))}
