"""Celery tasks of the employer side: the posting life cycle (look rows up, call the service) and
the member invitation email."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.cache import cache

from jobs.employer import services

log = logging.getLogger(__name__)


@shared_task(name="jobs.tasks.expire_postings")
def expire_postings() -> int:
    """Beat: published postings past expires_at become expired (one idempotent UPDATE)."""
    return services.postings_expire()


@shared_task(
    name="jobs.tasks.company_invitation_email", bind=True, max_retries=5, default_retry_delay=60
)
def company_invitation_email(self, invitation_id: int) -> bool:
    """Email an invitation's link to the invited address (services.company_invitation_create)."""
    from jobs.models import CompanyInvitation

    invitation = CompanyInvitation.objects.filter(pk=invitation_id).only("token").first()
    if invitation is None:
        return False
    # Messages queued before the outbox: one email per token, even when redelivered.
    claim = f"jobs:invitation-mail:{invitation_id}:{invitation.token[:12]}"
    if not cache.add(claim, 1, timeout=8 * 24 * 3600):
        return False
    try:
        return services.company_invitation_mail(invitation_id=invitation_id)
    except Exception as exc:
        cache.delete(claim)
        log.warning("invitation %s mail failed: %s", invitation_id, exc)
        raise self.retry(exc=exc) from exc
