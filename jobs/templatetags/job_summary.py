"""{% posting_summary posting %} on the posting page, {% posting_summary_line posting %} in lists,
{% posting_match posting %} (a score badge) on saved jobs and compare."""

from django import template

from jobs.summary import match_skills
from jobs.summary.web import summary_context, summary_line

register = template.Library()


@register.inclusion_tag("jobs/summary/_summary.html#summary", takes_context=True)
def posting_summary(context, posting):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {**summary_context(posting=posting, user=user), "request": request}


@register.simple_tag
def posting_summary_line(posting) -> str:
    return summary_line(getattr(posting, "summary", None))


@register.inclusion_tag("jobs/summary/_summary.html#match_badge", takes_context=True)
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
