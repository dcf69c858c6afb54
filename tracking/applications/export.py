"""CSV exports of the tracker: one row per application, and one row per stage change.

Cells go through `config.csvsafe.write_csv`, which defuses spreadsheet formulas."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User
from config.csvsafe import write_csv
from tracking.models import Application, StageChange


def _iso(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def applications_csv(*, user: User) -> str:
    apps = Application.objects.for_user(user).select_related("stage").order_by("created_at", "id")
    header = [
        "id", "company", "title", "url", "location", "stage", "stage_kind", "archived",
        "applied_at", "stage_entered_at", "created_at", "last_activity_at", "source",
        "salary_expectation", "resume_version", "cover_letter_version", "next_action",
        "posting_id",
    ]  # fmt: skip
    rows = (
        [
            a.pk,
            a.company_name,
            a.title,
            a.url,
            a.location,
            a.stage.name,
            a.stage.kind,
            "yes" if a.archived else "no",
            _iso(a.applied_at),
            _iso(a.stage_entered_at),
            _iso(a.created_at),
            _iso(a.last_activity_at),
            a.source,
            a.salary_expectation,
            a.resume_version,
            a.cover_letter_version,
            a.next_action,
            a.posting_id or "",
        ]  # fmt: skip
        for a in apps.iterator(chunk_size=500)
    )
    return write_csv(header, rows)


def stage_changes_csv(*, user: User) -> str:
    changes = (
        StageChange.objects.for_user(user)
        .select_related("application", "from_stage", "to_stage")
        .order_by("application_id", "changed_at", "id")
    )
    header = [
        "application_id", "company", "title", "from_stage", "to_stage", "changed_at",
        "original_changed_at", "edited_at",
    ]  # fmt: skip
    rows = (
        [
            c.application_id,
            c.application.company_name,
            c.application.title,
            c.from_stage.name if c.from_stage else "",
            c.to_stage.name,
            _iso(c.changed_at),
            _iso(c.original_changed_at),
            _iso(c.edited_at),
        ]  # fmt: skip
        for c in changes.iterator(chunk_size=500)
    )
    return write_csv(header, rows)
