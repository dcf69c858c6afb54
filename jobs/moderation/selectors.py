"""Reads of the staff review queue."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jobs.models import Company, CompanyStatus


def companies_to_review() -> QuerySet[Company]:
    """The staff queue's companies: new companies and renames waiting, oldest first (the
    partial index company_review_queue)."""
    return (
        Company.objects.filter(Q(status=CompanyStatus.PENDING) | ~Q(pending_name=""))
        .prefetch_related("memberships__user")
        .order_by("submitted_at", "id")
    )
