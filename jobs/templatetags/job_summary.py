"""{% posting_summary posting %} on the posting page, {% posting_summary_line posting %} in lists."""

from django import template

from jobs.summary.web import summary_context, summary_line

register = template.Library()


@register.inclusion_tag("jobs/_summary.html#summary", takes_context=True)
def posting_summary(context, posting):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {**summary_context(posting=posting, user=user), "request": request}


@register.simple_tag
def posting_summary_line(posting) -> str:
    return summary_line(getattr(posting, "summary", None))
