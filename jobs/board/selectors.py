"""Reads of the public board's pages: a posting, a company's open postings, and what the
reader already did with a posting (saved, tracked, applications used), each computed once per
page by the view rather than by template tags. Data only, never HTML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from jobs.models import Company, Posting

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def posting_for_page(*, pk: int) -> Posting | None:
    """The posting with its company, group, the sources that list it (`listed_at_rows`, read in
    the same query) and its locations (any status: the view decides)."""
    from jobs.sources.selectors import listed_at_subquery

    return (
        Posting.objects.select_related("company__group")
        .annotate(listed_at_rows=listed_at_subquery())
        .prefetch_related("locations")
        .filter(pk=pk)
        .first()
    )


def company_open_postings(*, company: Company) -> QuerySet[Posting]:
    """The company's published postings that have not expired, newest first."""
    now = timezone.now()
    return (
        Posting.objects.published()
        .filter(company=company)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .prefetch_related("locations")
        .order_by("-published_at", "-id")
    )


@dataclass(frozen=True)
class ReaderState:
    """What the reader already did with a posting, for its Save / Track buttons and the
    application-limit usage."""

    saved_ids: set[int]
    tracked: Any  # tracking.models.Application | None
    usage: Any  # tracking's Usage | None


def reader_state(*, user: User | AnonymousUser | None, posting: Posting) -> ReaderState:
    from tracking.saved.selectors import posting_state_for

    if user is None or not user.is_authenticated or not posting.pk:
        return ReaderState(saved_ids=set(), tracked=None, usage=None)
    state = posting_state_for(user=user, posting=posting)
    return ReaderState(
        saved_ids=set(state["saved_ids"]), tracked=state["tracked"], usage=state["usage"]
    )
