"""{% track_button posting %}: "Track this job" (a POST form), or "Tracking · <stage>" linking to
the application when the reader already tracks it, or a log-in link. No query: the view puts
the reader's live application in the context as `tracked`
(tracking.saved.selectors.posting_state_for)."""

from django import template

register = template.Library()


@register.inclusion_tag("tracking/applications/_track_button.html", takes_context=True)
def track_button(context, posting):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "posting": posting,
        "tracked": context.get("tracked"),
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
