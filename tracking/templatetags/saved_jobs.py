"""Save buttons and application-limit usage for pages outside the saved-jobs app (the posting
page, result lists):

    {% load saved_jobs %}
    {% save_button posting %}            saved state from `saved_ids` in the context
    {% save_button posting form_id="save-posting-form" small=True %}
    {% application_usage posting %}      the usage from `usage` in the context

No queries here: the view puts `saved_ids` and `usage` in the context
(tracking.saved.selectors.posting_state_for for a posting's page).
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("tracking/saved/_save_button.html", takes_context=True)
def save_button(context, posting, form_id: str = "", small: bool = False) -> dict:
    request = context.get("request")
    return {
        "posting": posting,
        "saved_ids": context.get("saved_ids") or set(),
        "form_id": form_id,
        "small": small,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("tracking/saved/_usage_block.html", takes_context=True)
def application_usage(context, posting) -> dict:
    return {"usage": context.get("usage")}
