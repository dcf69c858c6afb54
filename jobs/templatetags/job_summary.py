"""{% posting_summary posting %} on the posting page, {% posting_summary_line posting %} in lists,
{% posting_match posting %} (a score badge) on saved jobs and compare."""

from django import template

from jobs.summary import match_skills
from jobs.summary.web import summary_context, summary_line

register = template.Library()


@register.inclusion_tag("jobs/_summary.html#summary", takes_context=True)
def posting_summary(context, posting):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {**summary_context(posting=posting, user=user), "request": request}


@register.simple_tag
def posting_summary_line(posting) -> str:
    # Parsing a stored summary is the costliest part of a result card: kept per posting version.
    summary = getattr(posting, "summary", None)
    if not summary or not posting.pk:
        return summary_line(summary)
    key = (posting.pk, getattr(posting, "summary_version", None), str(posting.updated_at))
    line = _LINES.get(key)
    if line is None:
        if len(_LINES) > 5_000:
            _LINES.clear()
        line = _LINES[key] = summary_line(summary)
    return line


_LINES: dict[tuple, str] = {}


@register.inclusion_tag("jobs/_summary.html#match_badge", takes_context=True)
def posting_match(context, posting):
    """The reader's match with a posting's stored summary, as a badge (nothing for anonymous
    readers or postings not summarized yet). One query per page for the profile."""
    request = context.get("request")
    user = getattr(request, "user", None)
    summary = getattr(posting, "summary", None)
    if not (user and user.is_authenticated and summary and summary.get("status") == "ok"):
        return {"match": None}
    profile = getattr(user, "profile", None)
    return {"match": match_skills(summary, list(profile.skills) if profile else [])}
