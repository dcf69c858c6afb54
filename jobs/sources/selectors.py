"""Reads of live sources: the staff list with health, one source's runs, a company's sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from jobs.models import Company, PostingSource, Source, SourceRun

if TYPE_CHECKING:
    from accounts.models import User


def sources_for_staff() -> QuerySet[Source]:
    return Source.objects.select_related("company").order_by("company__name", "kind", "id")


def source_for_staff(*, pk: int) -> Source:
    return get_object_or_404(Source.objects.select_related("company"), pk=pk)


def source_runs(*, source: Source, limit: int = 20) -> list[SourceRun]:
    return list(source.runs.order_by("-started_at", "-id")[:limit])


def company_for_member(*, user: User, slug: str) -> Company:
    """The company by slug, only for its members (another user's company is a 404)."""
    return get_object_or_404(Company.objects.for_member(user), slug=slug)


def sources_of_company(*, company: Company) -> list[Source]:
    return list(company.sources.order_by("kind", "id"))


def source_for_member(*, user: User, pk: int) -> Source:
    return get_object_or_404(
        Source.objects.select_related("company").filter(company__memberships__user=user), pk=pk
    )


def posting_sources(*, posting_id: int) -> list[PostingSource]:
    """The live sources that list a posting (shown on its page: one job, one posting)."""
    return list(
        PostingSource.objects.filter(posting_id=posting_id, gone_at__isnull=True)
        .select_related("source")
        .order_by("first_seen_at", "id")
    )
