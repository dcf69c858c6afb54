"""Staff review of submitted postings and of companies: approve (publish) or reject with a reason.
Each locks the row and checks its status, so a double-clicked "Approve" publishes and emails once.

Companies (issue 16 point 3): a company an employer creates is pending until staff approve it;
only an approved company is public (its page, its sitemap entry; its postings cannot be approved
before it). A rename of an approved company with live postings waits in `pending_name` until
staff approve it (jobs/employer/services.py: company_apply_name). Decisions are emailed to the
company's owners by a task enqueued on commit (which writes the outbox row)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from config.mail import send_templated_mail
from jobs.board.search import refresh_company_search_vectors
from jobs.employer.services import (
    JobsError,
    NotAllowed,
    PostingStateError,
    _after_content_change,
    _copy_state,
    _lock,
    _require_staff,
    company_name_taken,
    expiry_for,
)
from jobs.models import (
    Company,
    CompanyMembership,
    CompanyStatus,
    Posting,
    PostingSource,
    PostingStatus,
)

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
    if locked.company.status != CompanyStatus.APPROVED:
        # A posting would make its company's name public (issue 16 point 3).
        raise PostingStateError(
            f"Review the company “{locked.company.name}” first: it is not approved yet."
        )
    now = timezone.now()
    # A re-approved edit keeps its first publication date (an edit is no way to bump a posting
    # to the top) and, without a deadline, the listing period it had left. A posting a live
    # source lists keeps the expiry the source gave it (its validThrough, or the listing
    # lifetime the syncs extend: jobs/sources/services.py), not a fresh employer's period.
    keep_expiry = (
        locked.application_deadline is None
        and locked.expires_at is not None
        and locked.expires_at > now
        and (
            locked.published_at is not None
            or PostingSource.objects.filter(posting_id=locked.pk, gone_at__isnull=True).exists()
        )
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


# ---------------------------------------------------------------------------------------------
# Companies


def _company_review_notifications(
    company, users, decision: str, stamp: str, emailed_to: list[str]
) -> None:
    """The in-app copy of the company review email, once per owner and review; "emailed" for
    the owners the email (an outbox row of the same transaction) was written to."""
    from django.urls import reverse

    from accounts.models import NotificationKind
    from config.user_page_cache import bump_users
    from tracking.models import EmailStatus, Notification

    verb = "approved" if decision == "approved" else "not approved"
    emailed = {address.casefold() for address in emailed_to}
    bump_users(user.pk for user in users)  # the bell's count on their cached pages
    for user in users:
        was_emailed = user.email.casefold() in emailed
        Notification.objects.get_or_create(
            dedupe_key=f"employer_company:{company.pk}:{decision}:{stamp}:{user.pk}",
            defaults={
                "user": user,
                "kind": NotificationKind.EMPLOYER_POSTING,
                "subject": f"{company.name} was {verb} by staff"[:200],
                "url": reverse("employer:company_edit", args=[company.slug]),
                "email_status": EmailStatus.SENT if was_emailed else EmailStatus.SKIPPED,
                "emailed_at": timezone.now() if was_emailed else None,
            },
        )


def company_review_mail(*, company_id: int, decision: str) -> bool:
    """Tell a company's owners that staff approved or rejected it (or its new name), with the
    in-app copy. Called inside the review's transaction: the email is an outbox row of it."""
    company = Company.objects.filter(pk=company_id).first()
    if company is None or decision not in ("approved", "rejected"):
        return False
    owners = CompanyMembership.objects.filter(
        company=company, role=CompanyMembership.Role.OWNER, user__is_active=True
    ).select_related("user__profile")
    stamp = company.reviewed_at.isoformat() if company.reviewed_at else ""
    to = [
        m.user.email
        for m in owners
        if getattr(m.user, "profile", None) is None
        or m.user.profile.wants_email("employer_posting")
    ]
    _company_review_notifications(company, [m.user for m in owners], decision, stamp, to)
    if not to:
        return False
    context = {"company": company, "approved": decision == "approved"}
    send_templated_mail(template="email/jobs/company_reviewed", to=to, context=context)
    return True


def _enqueue_company_review_mail(company_id: int, decision: str) -> None:
    company_review_mail(company_id=company_id, decision=decision)


def _require_staff_for_companies(user: User) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_staff):
        raise NotAllowed("Only staff can review companies.")


def _lock_in_review(company: Company) -> Company:
    locked = Company.objects.select_for_update().get(pk=company.pk)
    if not locked.in_review:
        raise JobsError(f"“{locked.name}” was already reviewed.")
    return locked


def _copy_company(source: Company, target: Company) -> None:
    if source is not target:
        for field in source._meta.concrete_fields:
            setattr(target, field.attname, getattr(source, field.attname))


@transaction.atomic
def company_approve(*, company: Company, by: User) -> Company:
    """Approve a new company (it becomes public) or a rename (the new name becomes public)."""
    _require_staff_for_companies(by)
    locked = _lock_in_review(company)
    renamed = bool(locked.pending_name)
    if renamed:
        if company_name_taken(name=locked.pending_name, exclude=locked):
            raise JobsError(f"“{locked.pending_name}” is another approved company's name.")
        locked.name = locked.pending_name
        locked.pending_name = ""
    elif company_name_taken(name=locked.name, exclude=locked):
        raise JobsError(f"“{locked.name}” is another approved company's name.")
    locked.status = CompanyStatus.APPROVED
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    locked.rejection_reason = ""
    locked.save()
    if renamed:
        refresh_company_search_vectors(locked.pk)  # the name is in its postings' vectors
    _enqueue_company_review_mail(locked.pk, "approved")
    _copy_company(locked, company)
    return company


@transaction.atomic
def company_reject(*, company: Company, by: User, reason: str) -> Company:
    """Reject a new company (it stays off the board) or a rename (the approved name stays)."""
    _require_staff_for_companies(by)
    reason = (reason or "").strip()
    if not reason:
        raise JobsError("Give the employer a reason for the rejection.")
    locked = _lock_in_review(company)
    if locked.pending_name:
        locked.pending_name = ""
    else:
        locked.status = CompanyStatus.REJECTED
    locked.rejection_reason = reason
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    locked.save()
    _enqueue_company_review_mail(locked.pk, "rejected")
    _copy_company(locked, company)
    return company
