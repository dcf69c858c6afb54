"""Celery task of the staff review: email the employer the decision (and its in-app copy)."""

from __future__ import annotations

import hashlib
import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from config.mail import send_templated_mail
from jobs.models import CompanyMembership, Posting, PostingStatus

log = logging.getLogger(__name__)

REVIEW_MAIL_TEMPLATE = "email/jobs/posting_reviewed"


def _recipients(posting: Posting) -> list[str]:
    """The member who created the posting, else the company's owners; each only if they keep
    "my posting was approved, rejected or expires" emails on."""
    users = [posting.created_by] if posting.created_by and posting.created_by.is_active else []
    if not users:
        users = [
            m.user
            for m in CompanyMembership.objects.filter(
                company_id=posting.company_id,
                role=CompanyMembership.Role.OWNER,
                user__is_active=True,
            ).select_related("user__profile")
        ]
    emails = []
    for user in users:
        profile = getattr(user, "profile", None)
        if profile is None or profile.wants_email("employer_posting"):
            emails.append(user.email)
    return emails


def _timezone_of(posting: Posting) -> str:
    profile = getattr(posting.created_by, "profile", None) if posting.created_by else None
    return (profile.timezone if profile else None) or "UTC"


@shared_task(
    name="jobs.tasks.posting_reviewed_email", bind=True, max_retries=5, default_retry_delay=60
)
def posting_reviewed_email(self, posting_id: int, decision: str) -> bool:
    """Tell the employer their posting was approved or rejected. Claimed once per review in Redis
    so a redelivered task does not email twice; the claim is released when sending fails."""
    posting = (
        Posting.objects.select_related("company", "created_by__profile", "reviewed_by")
        .filter(pk=posting_id)
        .first()
    )
    if posting is None or decision not in (PostingStatus.PUBLISHED, PostingStatus.REJECTED):
        return False
    to = _recipients(posting)
    if not to:
        return False
    stamp = posting.published_at.isoformat() if decision == PostingStatus.PUBLISHED else ""
    reason = hashlib.sha256(posting.rejection_reason.encode()).hexdigest()[:16]
    claim = f"jobs:review-mail:{posting_id}:{decision}:{stamp}:{reason}"
    if not cache.add(claim, 1, timeout=7 * 24 * 3600):
        return False
    context = {"posting": posting, "approved": decision == PostingStatus.PUBLISHED}
    try:
        with timezone.override(_timezone_of(posting)):
            send_templated_mail(template=REVIEW_MAIL_TEMPLATE, to=to, context=context)
    except Exception as exc:
        cache.delete(claim)
        log.warning("posting %s review mail failed: %s", posting_id, exc)
        raise self.retry(exc=exc) from exc
    from tracking.alerts.services import notification_employer_posting

    notification_employer_posting(posting=posting, decision=decision)  # the in-app copy
    return True
