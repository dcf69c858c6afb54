"""Celery tasks of the staff review: email the employer the decision on a posting or a company
(and its in-app copy)."""

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
