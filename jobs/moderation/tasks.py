"""Celery tasks of the staff review: email the employer the decision on a posting or a company
(and its in-app copy).

A review now writes its email in its own transaction (services.posting_review_mail, through the
outbox); the task remains for review messages queued before the outbox."""

from __future__ import annotations

import hashlib
import logging

from celery import shared_task
from django.core.cache import cache

from jobs.models import Posting, PostingStatus
from jobs.moderation import services
from jobs.moderation.services import REVIEW_MAIL_TEMPLATE, posting_review_mail

log = logging.getLogger(__name__)

__all__ = ["REVIEW_MAIL_TEMPLATE", "company_reviewed_email", "posting_reviewed_email"]


@shared_task(
    name="jobs.tasks.posting_reviewed_email", bind=True, max_retries=5, default_retry_delay=60
)
def posting_reviewed_email(self, posting_id: int, decision: str) -> bool:
    """The review mail as a task (reviews queued before the outbox, see posting_review_mail).
    Claimed once per review in Redis so a redelivered task does not email twice; the claim is
    released when sending fails."""
    posting = Posting.objects.filter(pk=posting_id).first()
    if posting is None:
        return False
    stamp = (
        posting.published_at.isoformat()
        if decision == PostingStatus.PUBLISHED and posting.published_at
        else ""
    )
    reason = hashlib.sha256(posting.rejection_reason.encode()).hexdigest()[:16]
    claim = f"jobs:review-mail:{posting_id}:{decision}:{stamp}:{reason}"
    if not cache.add(claim, 1, timeout=7 * 24 * 3600):
        return False
    try:
        return posting_review_mail(posting_id=posting_id, decision=decision)
    except Exception as exc:
        cache.delete(claim)
        log.warning("posting %s review mail failed: %s", posting_id, exc)
        raise self.retry(exc=exc) from exc


@shared_task(
    name="jobs.tasks.company_reviewed_email", bind=True, max_retries=5, default_retry_delay=60
)
def company_reviewed_email(self, company_id: int, decision: str) -> bool:
    """Tell a company's owners that staff approved or rejected it: messages queued before the
    outbox (services.company_review_mail writes it in the review's transaction now)."""
    from jobs.models import Company

    company = Company.objects.filter(pk=company_id).only("reviewed_at").first()
    if company is None:
        return False
    stamp = company.reviewed_at.isoformat() if company.reviewed_at else ""
    claim = f"jobs:company-review-mail:{company_id}:{decision}:{stamp}"
    if not cache.add(claim, 1, timeout=7 * 24 * 3600):
        return False
    try:
        return services.company_review_mail(company_id=company_id, decision=decision)
    except Exception as exc:
        cache.delete(claim)
        log.warning("company %s review mail failed: %s", company_id, exc)
        raise self.retry(exc=exc) from exc
