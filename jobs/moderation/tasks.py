"""Celery tasks of the staff review: email the employer the decision on a posting or a company
(and its in-app copy).

A review now writes its email in its own transaction (services.posting_review_mail, through the
outbox); the task remains for review messages queued before the outbox."""

from __future__ import annotations

import hashlib
import logging

from celery import shared_task
from django.core.cache import cache

from config.mail import send_templated_mail
from jobs.models import CompanyMembership, Posting, PostingStatus
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
    """Tell a company's owners that staff approved or rejected it (or its new name)."""
    from jobs.models import Company

    company = Company.objects.filter(pk=company_id).first()
    if company is None or decision not in ("approved", "rejected"):
        return False
    owners = CompanyMembership.objects.filter(
        company=company, role=CompanyMembership.Role.OWNER, user__is_active=True
    ).select_related("user__profile")
    stamp = company.reviewed_at.isoformat() if company.reviewed_at else ""
    _company_review_notifications(company, [m.user for m in owners], decision, stamp)
    to = [
        m.user.email
        for m in owners
        if getattr(m.user, "profile", None) is None
        or m.user.profile.wants_email("employer_posting")
    ]
    if not to:
        return False
    claim = f"jobs:company-review-mail:{company_id}:{decision}:{stamp}"
    if not cache.add(claim, 1, timeout=7 * 24 * 3600):
        return False
    context = {"company": company, "approved": decision == "approved"}
    try:
        send_templated_mail(template="email/jobs/company_reviewed", to=to, context=context)
    except Exception as exc:
        cache.delete(claim)
        log.warning("company %s review mail failed: %s", company_id, exc)
        raise self.retry(exc=exc) from exc
    return True


def _company_review_notifications(company, users, decision: str, stamp: str) -> None:
    """The in-app copy of the company review email, once per owner and review."""
    from django.urls import reverse

    from accounts.models import NotificationKind
    from tracking.models import EmailStatus, Notification

    verb = "approved" if decision == "approved" else "not approved"
    for user in users:
        Notification.objects.get_or_create(
            dedupe_key=f"employer_company:{company.pk}:{decision}:{stamp}:{user.pk}",
            defaults={
                "user": user,
                "kind": NotificationKind.EMPLOYER_POSTING,
                "subject": f"{company.name} was {verb} by staff"[:200],
                "url": reverse("employer:company_edit", args=[company.slug]),
                "email_status": EmailStatus.SKIPPED,  # emailed by company_reviewed_email
            },
        )
