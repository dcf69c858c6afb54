"""After a log-in, do the Save an anonymous visitor clicked (kept in their session by
tracking.saved.views.save). Connected in TrackingConfig.ready()."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from tracking.saved import services as saved


@receiver(user_logged_in, dispatch_uid="tracking_pending_save")
def perform_pending_save(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None) if request is not None else None
    if session is None or saved.PENDING_SESSION_KEY not in session:
        return
    saved_job = saved.pending_save_perform(session, user=user)
    if saved_job is not None and hasattr(request, "_messages"):
        messages.success(request, f"Saved “{saved_job.posting.title}”.")
