"""Companies go through staff review (issue 16 point 3).

A company an employer creates is pending until staff approve it; only an approved company is
public (its page, its sitemap entry; its postings cannot be approved before it). A rename of an
approved company with live postings waits in `pending_name` until staff approve it, and the
approved name stays public meanwhile. A name that is the same, once normalized
(`company_name_key`), as another approved company's is refused. Staff decisions are emailed to
the company's owners by a task enqueued on commit, like posting reviews.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jobs.models import Company, CompanyStatus, PostingStatus, company_name_key

if TYPE_CHECKING:
    from accounts.models import User

COPIED_NAME = (
    "A company with this name is already on Jobtrail. If you work there, ask one of its "
    "owners to invite you; otherwise choose a name that tells yours apart."
)


def company_name_taken(*, name: str, exclude: Company | None = None) -> bool:
    """Another approved company has this name (case, accents, spaces and punctuation aside),
    or is being renamed to it."""
    key = company_name_key(name)
    if not key:
        return False
    others = Company.objects.approved()
    if exclude is not None and exclude.pk:
        others = others.exclude(pk=exclude.pk)
    return others.filter(name_key=key).exists()


def company_has_live_postings(*, company: Company) -> bool:
    return company.postings.filter(status=PostingStatus.PUBLISHED).exists()


def companies_to_review() -> QuerySet[Company]:
    """The staff queue: new companies and renames waiting, oldest first (the partial index
    company_review_queue)."""
    return (
        Company.objects.filter(Q(status=CompanyStatus.PENDING) | ~Q(pending_name=""))
        .prefetch_related("memberships__user")
        .order_by("submitted_at", "id")
    )


def _enqueue_review_mail(company_id: int, decision: str) -> None:
    from jobs.tasks import company_reviewed_email

    transaction.on_commit(partial(company_reviewed_email.delay, company_id, decision))


def _require_staff(user: User) -> None:
    from jobs.services import NotAllowed

    if not (getattr(user, "is_authenticated", False) and user.is_staff):
        raise NotAllowed("Only staff can review companies.")


def _lock_in_review(company: Company) -> Company:
    from jobs.services import JobsError

    locked = Company.objects.select_for_update().get(pk=company.pk)
    if not locked.in_review:
        raise JobsError(f"“{locked.name}” was already reviewed.")
    return locked


@transaction.atomic
def company_approve(*, company: Company, by: User) -> Company:
    """Approve a new company (it becomes public) or a rename (the new name becomes public)."""
    from jobs.search import refresh_company_search_vectors
    from jobs.services import JobsError

    _require_staff(by)
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
    _enqueue_review_mail(locked.pk, "approved")
    _copy(locked, company)
    return company


@transaction.atomic
def company_reject(*, company: Company, by: User, reason: str) -> Company:
    """Reject a new company (it stays off the board) or a rename (the approved name stays)."""
    from jobs.services import JobsError

    _require_staff(by)
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
    _enqueue_review_mail(locked.pk, "rejected")
    _copy(locked, company)
    return company


def company_apply_name(*, company: Company, name: str) -> str:
    """Called by `jobs.services.company_update` before it saves: where the new name goes.
    Returns what the employer is told ("" when nothing is waiting for review)."""
    from jobs.services import JobsError

    name = name.strip()
    current = company.name
    if name == current:
        company.pending_name = ""  # an edit back to the approved name withdraws a rename
        return ""
    if name == company.pending_name:
        return f"The new name “{name}” still waits for staff review."
    if company_name_taken(name=name, exclude=company):
        raise JobsError(COPIED_NAME)
    now = timezone.now()
    company.pending_name = ""
    if company.status == CompanyStatus.APPROVED and company_has_live_postings(company=company):
        company.pending_name = name
        company.submitted_at = now
        return (
            f"The new name “{name}” waits for staff review; “{current}” stays on the board "
            "until then."
        )
    company.name = name
    if company.status == CompanyStatus.REJECTED:
        company.status = CompanyStatus.PENDING
        company.submitted_at = now
    return ""


def _copy(source: Company, target: Company) -> None:
    if source is not target:
        for field in source._meta.concrete_fields:
            setattr(target, field.attname, getattr(source, field.attname))
