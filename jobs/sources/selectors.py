"""Reads of live sources: the staff list with health, one source's runs, a company's sources,
and the sources a posting is listed at (its public page)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from django.db.models.functions import JSONObject
from django.shortcuts import get_object_or_404

from jobs.models import (
    Company,
    CompanyStatus,
    Posting,
    PostingSource,
    Source,
    SourceKind,
    SourceRun,
)
from jobs.sources.connectors import is_url

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


# Short names of the kinds for the public page ("Listed at"); the admin keeps the long ones.
KIND_NAMES: dict[str, str] = {
    SourceKind.GREENHOUSE: "Greenhouse",
    SourceKind.LEVER: "Lever",
    SourceKind.ASHBY: "Ashby",
    SourceKind.WORKABLE: "Workable",
    SourceKind.SMARTRECRUITERS: "SmartRecruiters",
    SourceKind.RECRUITEE: "Recruitee",
    SourceKind.PERSONIO: "Personio",
    SourceKind.JSONLD: "Careers page",
    SourceKind.FEED: "Job feed",
}


def listed_at_subquery() -> ArraySubquery:
    """The live sources that list a posting, first seen first, as an array of JSON objects
    (kind, the source's company and whether it is public, the job's URL there): an annotation
    of the query that loads the posting, so its page reads them without a query of their own."""
    return ArraySubquery(
        PostingSource.objects.filter(posting_id=OuterRef("pk"), gone_at__isnull=True)
        .order_by("first_seen_at", "id")
        .values(
            json=JSONObject(
                kind="source__kind",
                company="source__company__name",
                company_status="source__company__status",
                url="url",
            )
        )
    )


@dataclass(frozen=True)
class ListedAt:
    kind: str  # a short name: "Greenhouse", "Careers page"
    company: str  # "" when the source's company is not public (not approved yet)
    url: str  # the job's page at the source, else the posting's apply URL (http(s) only)


def listed_at(*, posting: Posting) -> list[ListedAt]:
    """The sources of a posting loaded with `listed_at_subquery()` as `listed_at_rows`; [] when
    it was loaded without it (previews) or no source lists it. One entry per kind and company
    (a repost merged under a new id is one more link to the same board)."""
    found: dict[tuple[str, str], ListedAt] = {}
    for row in getattr(posting, "listed_at_rows", None) or []:
        if not isinstance(row, dict):
            continue
        kind = KIND_NAMES.get(row.get("kind") or "", "")
        public = row.get("company_status") == CompanyStatus.APPROVED
        company = (row.get("company") or "") if public else ""
        url = next((u for u in (row.get("url") or "", posting.apply_url or "") if is_url(u)), "")
        if kind:
            found.setdefault((kind, company), ListedAt(kind=kind, company=company, url=url))
    return list(found.values())
