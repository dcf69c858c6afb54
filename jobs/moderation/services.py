"""Staff review of submitted postings: approve (publish) or reject with a reason. Both lock the
posting row and check its status, so a double-clicked "Approve" publishes and emails once."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from jobs.employer.services import (
    JobsError,
    _after_content_change,
    _copy_state,
    _lock,
    _require_staff,
    expiry_for,
)
from jobs.models import Posting, PostingStatus

if TYPE_CHECKING:
    from accounts.models import User


def _enqueue_review_mail(posting_id: int, decision: str) -> None:
    from jobs.moderation.tasks import posting_reviewed_email

    transaction.on_commit(partial(posting_reviewed_email.delay, posting_id, decision))


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
