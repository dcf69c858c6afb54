"""The "saved job expiring" email for clipped jobs: an external Application whose page gave a
`validThrough` (Application.expires_at) and that the user has not applied to yet. Same rules,
same email and same exactly-once claim (a unique dedupe_key) as tracking.alerts.services'
scan_expiring_saved_jobs, which covers postings of our board."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import NotificationKind
from tracking.models import Application, StageKind


def scan_expiring_clipped_jobs(*, at: datetime | None = None) -> int:
    from tracking.alerts.services import NewNotification, _insert, _settings_by_user, _tz_by_user

    at = at or timezone.now()
    # Served by the partial index application_external_expiry.
    apps = list(
        Application.objects.filter(
            posting__isnull=True,
            expires_at__gt=at,
            expires_at__lte=at + timedelta(days=32),
            archived=False,
            applied_at__isnull=True,
            stage__kind=StageKind.ACTIVE,
        ).only("pk", "user_id", "title", "company_name", "expires_at")
    )
    user_ids = {a.user_id for a in apps}
    days_by_user = _settings_by_user(user_ids)
    tz_by_user = _tz_by_user(user_ids)
    rows = []
    for app in apps:
        expires_at = app.expires_at
        if expires_at is None:  # excluded by the query; narrows the type
            continue
        tz = tz_by_user.get(app.user_id, zoneinfo.ZoneInfo("UTC"))
        warn_days = days_by_user.get(app.user_id, 3)
        days_left = (expires_at.astimezone(tz).date() - at.astimezone(tz).date()).days
        if days_left == 0:
            which = "today"
        elif days_left <= warn_days:
            which = f"{warn_days}d"
        else:
            continue
        rows.append(
            NewNotification(
                user_id=app.user_id,
                kind=NotificationKind.SAVED_JOB_EXPIRING,
                dedupe_key=(f"clipped_job_expiring:{app.pk}:{int(expires_at.timestamp())}:{which}"),
                subject=(
                    f"Last day to apply: {app.title}"
                    if which == "today"
                    else f"{app.title} closes in {days_left} day{'s' if days_left != 1 else ''}"
                ),
                url=app.get_absolute_url(),
                payload={
                    "application_id": app.pk,
                    "title": app.title,
                    "company": app.company_name,
                    "expires_at": expires_at,
                    "days_left": days_left,
                },
            )
        )
    with transaction.atomic():
        _insert(rows)
    return len(rows)
