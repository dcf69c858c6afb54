"""Staff review of submitted postings: approve (publish) or reject with a reason. Both lock the
posting row and check its status, so a double-clicked "Approve" publishes and emails once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from config.mail import send_templated_mail
from jobs.employer.services import (
    JobsError,
    _after_content_change,
    _copy_state,
    _lock,
    _require_staff,
    expiry_for,
)
from jobs.models import CompanyMembership, Posting, PostingStatus

if TYPE_CHECKING:
    from accounts.models import User

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


def posting_review_mail(*, posting_id: int, decision: str) -> bool:
    """Tell the employer their posting was approved or rejected, with its in-app copy. Called
    inside the review's transaction: the email is an outbox row of that transaction
    (config/outbox.py), so it is sent once the review commits and never lost with Redis."""
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
    context = {"posting": posting, "approved": decision == PostingStatus.PUBLISHED}
    with timezone.override(_timezone_of(posting)):
        send_templated_mail(template=REVIEW_MAIL_TEMPLATE, to=to, context=context)
    from tracking.alerts.services import notification_employer_posting

    notification_employer_posting(posting=posting, decision=decision, emailed_to=to)  # in-app copy
    return True


def _enqueue_review_mail(posting_id: int, decision: str) -> None:
    # In the review's transaction: the email is an outbox row of it (config/outbox.py), not a
    # task message that a Redis restart could lose.
    posting_review_mail(posting_id=posting_id, decision=decision)


@transaction.atomic
def posting_approve(*, posting: Posting, by: User) -> Posting:
    _require_staff(by)
    locked = _lock(posting, (PostingStatus.SUBMITTED,), "approve")
    now = timezone.now()
    # A re-approved edit keeps its first publication date (an edit is no way to bump a posting
    # to the top) and, without a deadline, the listing period it had left.
    keep_expiry = (
        locked.published_at is not None
        and locked.application_deadline is None
        and locked.expires_at is not None
        and locked.expires_at > now
    )
    locked.status = PostingStatus.PUBLISHED
    locked.published_at = locked.published_at or now
    if not keep_expiry:
        locked.expires_at = expiry_for(deadline=locked.application_deadline, now=now)
    locked.reviewed_by = by
    locked.rejection_reason = ""
    locked.closed_at = None
    locked.save(
        update_fields=[
            "status",
            "published_at",
            "expires_at",
            "reviewed_by",
            "rejection_reason",
            "closed_at",
            "updated_at",
        ]
    )
    _after_content_change(locked)
    _enqueue_review_mail(locked.pk, PostingStatus.PUBLISHED)
    _copy_state(locked, posting)
    return posting


@transaction.atomic
def posting_reject(*, posting: Posting, by: User, reason: str) -> Posting:
    _require_staff(by)
    reason = (reason or "").strip()
    if not reason:
        raise JobsError("Give the employer a reason for the rejection.")
    locked = _lock(posting, (PostingStatus.SUBMITTED,), "reject")
    locked.status = PostingStatus.REJECTED
    locked.rejection_reason = reason
    locked.reviewed_by = by
    locked.save(update_fields=["status", "rejection_reason", "reviewed_by", "updated_at"])
    _enqueue_review_mail(locked.pk, PostingStatus.REJECTED)
    _copy_state(locked, posting)
    return posting
