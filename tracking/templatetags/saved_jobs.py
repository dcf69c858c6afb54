"""Save buttons and application-limit usage for pages outside the saved-jobs app (the posting
page, result lists):

    {% load saved_jobs %}
    {% save_button posting %}            one query unless `saved_ids` is in the context
    {% save_button posting form_id="save-posting-form" small=True %}
    {% application_usage posting %}      one query when the posting's group has a limit
"""

from __future__ import annotations

from django import template

from tracking.saved.selectors import group_application_usage, saved_posting_ids

register = template.Library()


@register.inclusion_tag("tracking/saved/_save_button.html", takes_context=True)
def save_button(context, posting, form_id: str = "", small: bool = False) -> dict:
    request = context.get("request")
    saved_ids = context.get("saved_ids")
    if saved_ids is None:
        user = getattr(request, "user", None)
        saved_ids = saved_posting_ids(user, [posting.pk]) if user is not None else set()
    return {
        "posting": posting,
        "saved_ids": saved_ids,
        "form_id": form_id,
        "small": small,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("tracking/saved/_usage_block.html", takes_context=True)
def application_usage(context, posting) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    group = posting.company.group if posting.company_id else None
    usage = None
    if user is not None and group is not None and group.application_limit:
        usage = group_application_usage(user, [group]).get(group.pk)
    return {"usage": usage}
