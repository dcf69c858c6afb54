"""{% track_button posting %}: "Track this job" (a POST form), or "Tracking · <stage>" linking to
the application when the reader already tracks it, or a log-in link. One query per use."""

from django import template

from tracking.applications.selectors import tracked_application_for

register = template.Library()


@register.inclusion_tag("tracking/applications/_track_button.html", takes_context=True)
def track_button(context, posting):
    request = context.get("request")
    user = getattr(request, "user", None)
    tracked = (
        tracked_application_for(user=user, posting_id=posting.pk)
        if user is not None and user.is_authenticated
        else None
    )
    return {
        "posting": posting,
        "tracked": tracked,
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
