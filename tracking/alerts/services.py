"""Notifications: the scanners that find what is due, and the service that emails it — each
exactly once.

Scanners (beat, every minute) create `Notification` rows in short transactions:

* due reminders are claimed with `select_for_update(skip_locked=True)` and flipped
  pending → sent in the same transaction, so two beats never take the same reminder;
* everything else is keyed: `INSERT … ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`, so a
  second scan (or a second beat at the same time) creates nothing.

A user's new items of one kind in one scan share one email: the first row is the carrier, the
others point at it (`sent_with`). The send is enqueued with `transaction.on_commit`; the task
claims the carrier with a conditional UPDATE of `lease_until` (so two deliveries of the same
task never send in parallel), sends with a Message-ID derived from the dedupe key, then stamps
the whole group sent. An SMTP error clears the lease, records the error and retries; it never
marks the row sent. `requeue_unsent` (also every minute) re-enqueues carriers whose task was
lost (a worker killed before it acknowledged, a broker restart): the claim keeps that safe.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import F, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import NotificationKind, Profile, User
from config.mail import send_templated_mail
from config.site import absolute_url
from config.timezones import user_timezone, zone_named
from config.user_page_cache import bump_users
from jobs.models import Posting
from tracking.models import (
    EmailStatus,
    Interview,
    Notification,
    NotificationSettings,
    Reminder,
    ReminderStatus,
    SavedJob,
    SavedSearch,
    SavedSearchFrequency,
)

log = logging.getLogger(__name__)

SCAN_BATCH = 1000
MAX_EMAIL_ATTEMPTS = 6
UNSUBSCRIBE_SALT = "tracking.notifications.unsubscribe"
TEMPLATES = {kind.value: f"email/notifications/{kind.value}" for kind in NotificationKind}


def lease_seconds() -> int:
    """How long a claimed send may take before another delivery may try it again."""
    return int(getattr(settings, "NOTIFICATION_SEND_LEASE_SECONDS", 300))


def message_id_for(dedupe_key: str) -> str:
    """A stable, make_msgid-shaped Message-ID: the same notification always carries the same one,
    so a receiving server (and our tests) can see a resend as a duplicate."""
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "jobtrail.local"
    return f"<{digest}.notification@{domain}>"


# --- creating notifications ----------------------------------------------------------------


@dataclass
class NewNotification:
    user_id: int
    kind: str
    dedupe_key: str
    subject: str
    url: str
    payload: dict


def _insert(rows: list[NewNotification]) -> list[int]:
    """Insert the rows that are new (by dedupe_key); group each user's new rows of a kind under
    one carrier; enqueue the carriers' sends on commit. Must run inside a transaction."""
    if not rows:
        return []
    created: list[tuple[int, int, str]] = []
    stamp = timezone.now()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            values = ", ".join(
                ["(%s, %s, %s, %s, %s, %s::jsonb, %s, 'pending', 0, '', '')"] * len(chunk)
            )
            params: list = []
            for row in chunk:
                params += [
                    row.user_id,
                    row.kind,
                    row.dedupe_key,
                    row.subject[:300],
                    row.url[:500],
                    _json(row.payload),
                    stamp,
                ]
            sql = (
                f"INSERT INTO {Notification._meta.db_table} (user_id, kind, dedupe_key, subject,"  # noqa: S608 - table name and placeholders only
                " url, payload, created_at, email_status, attempts, last_error, message_id)"
                f" VALUES {values} ON CONFLICT (dedupe_key) DO NOTHING"
                " RETURNING id, user_id, kind"
            )
            cursor.execute(sql, params)
            created += cursor.fetchall()
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for pk, user_id, kind in created:
        groups[(user_id, kind)].append(pk)
    carriers = []
    for ids in groups.values():
        ids.sort()
        carriers.append(ids[0])
        if len(ids) > 1:
            Notification.objects.filter(pk__in=ids[1:]).update(sent_with_id=ids[0])
    if carriers:
        transaction.on_commit(lambda: _enqueue(carriers))
    # The bell's count, the Today panel, reminders marked sent: these users' cached pages
    # (config/user_page_cache.py) are stale on commit. Every row's user, new or not.
    bump_users({row.user_id for row in rows})
    return carriers


def _json(value: dict) -> str:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.dumps(value, cls=DjangoJSONEncoder)


SEND_CHUNK = 50


def _enqueue(ids: list[int]) -> None:
    """One task per SEND_CHUNK carriers: fewer broker round trips, one mail connection each."""
    from tracking.tasks import send_notification_emails

    for start in range(0, len(ids), SEND_CHUNK):
        send_notification_emails.delay(list(ids[start : start + SEND_CHUNK]))


# --- scanners ------------------------------------------------------------------------------


def scan_due_reminders(*, at: datetime | None = None, limit: int = SCAN_BATCH) -> int:
    """Claim pending reminders that are due and turn them into notifications. Returns how many
    reminders were claimed. Safe to run twice at once: SKIP LOCKED hands each row to one."""
    at = at or timezone.now()
    total = 0
    while True:
        with transaction.atomic():
            reminders = list(
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=ReminderStatus.PENDING, due_at__lte=at)
                .select_related("application")
                .order_by("due_at", "id")[:limit]
            )
            if not reminders:
                return total
            Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(
                status=ReminderStatus.SENT, sent_at=at
            )
            rows = []
            for r in reminders:
                app = r.application
                rows.append(
                    NewNotification(
                        user_id=app.user_id,
                        kind=NotificationKind.REMINDER_DUE,
                        dedupe_key=f"reminder_due:{r.pk}:{int(r.due_at.timestamp())}",
                        subject=f"Follow up: {app.title} at {app.company_name}",
                        url=app.get_absolute_url(),
                        payload={
                            "reminder_id": r.pk,
                            "application_id": app.pk,
                            "title": app.title,
                            "company": app.company_name,
                            "message": r.message,
                            "due_at": r.due_at,
                        },
                    )
                )
            _insert(rows)
            total += len(reminders)
        if len(reminders) < limit:
            return total


def _settings_by_user(user_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        NotificationSettings.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "expiry_warning_days"
        )
    )


def _tz_by_user(user_ids: Iterable[int]) -> dict[int, zoneinfo.ZoneInfo]:
    out = {}
    for user_id, name in Profile.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "timezone"
    ):
        out[user_id] = zone_named(name)
    return out


def scan_expiring_saved_jobs(*, at: datetime | None = None) -> int:
    """Saved, published postings whose deadline is N days away (in the user's calendar, N of
    their choosing, default 3) or today. One warning per (saved job, deadline, which)."""
    from jobs.models import PostingStatus

    at = at or timezone.now()
    saved = list(
        SavedJob.objects.filter(
            posting__status=PostingStatus.PUBLISHED,
            posting__expires_at__gt=at,
            posting__expires_at__lte=at + timedelta(days=32),
        ).select_related("posting__company")
    )
    user_ids = {s.user_id for s in saved}
    days_by_user = _settings_by_user(user_ids)
    tz_by_user = _tz_by_user(user_ids)
    rows = []
    for s in saved:
        expires_at = s.posting.expires_at
        if expires_at is None:  # excluded by the query; narrows the type
            continue
        tz = tz_by_user.get(s.user_id, zoneinfo.ZoneInfo("UTC"))
        warn_days = days_by_user.get(s.user_id, 3)
        days_left = (expires_at.astimezone(tz).date() - at.astimezone(tz).date()).days
        if days_left == 0:
            which = "today"
        elif days_left <= warn_days:
            which = f"{warn_days}d"
        else:
            continue
        posting = s.posting
        rows.append(
            NewNotification(
                user_id=s.user_id,
                kind=NotificationKind.SAVED_JOB_EXPIRING,
                dedupe_key=f"saved_job_expiring:{s.pk}:{int(expires_at.timestamp())}:{which}",
                subject=(
                    f"Last day to apply: {posting.title}"
                    if which == "today"
                    else f"{posting.title} closes in {days_left} day{'s' if days_left != 1 else ''}"
                ),
                url=posting.get_absolute_url(),
                payload={
                    "saved_job_id": s.pk,
                    "posting_id": posting.pk,
                    "title": posting.title,
                    "company": posting.company.name,
                    "expires_at": posting.expires_at,
                    "days_left": days_left,
                },
            )
        )
    with transaction.atomic():
        _insert(rows)
    return len(rows)


def scan_closed_postings(*, at: datetime | None = None) -> int:
    """A saved or tracked posting closed by its employer (or expired) before its deadline."""
    from jobs.models import Posting, PostingStatus
    from tracking.models import Application

    at = at or timezone.now()
    closed = Posting.objects.filter(
        Q(status=PostingStatus.CLOSED) | Q(status=PostingStatus.EXPIRED),
        closed_at__gte=at - timedelta(days=2),
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=F("closed_at")))
    pairs = set(
        SavedJob.objects.filter(posting__in=closed).values_list("user_id", "posting_id")
    ) | set(
        Application.objects.filter(posting__in=closed, archived=False).values_list(
            "user_id", "posting_id"
        )
    )
    postings = {p.pk: p for p in Posting.objects.filter(pk__in={p for _, p in pairs})}
    rows = [
        NewNotification(
            user_id=user_id,
            kind=NotificationKind.POSTING_CLOSED,
            dedupe_key=f"posting_closed:{user_id}:{posting_id}",
            subject=f"{postings[posting_id].title} is no longer open",
            url=postings[posting_id].get_absolute_url(),
            payload={"posting_id": posting_id, "title": postings[posting_id].title},
        )
        for user_id, posting_id in sorted(pairs)
    ]
    with transaction.atomic():
        _insert(rows)
    return len(rows)


def scan_interviews_tomorrow(*, at: datetime | None = None) -> int:
    """Interviews on the user's tomorrow (their profile's calendar)."""
    at = at or timezone.now()
    interviews = list(
        Interview.objects.filter(
            starts_at__gt=at, starts_at__lte=at + timedelta(hours=50)
        ).select_related("application")
    )
    tz_by_user = _tz_by_user({i.application.user_id for i in interviews})
    rows = []
    for i in interviews:
        user_id = i.application.user_id
        tz = tz_by_user.get(user_id, zoneinfo.ZoneInfo("UTC"))
        if (i.starts_at.astimezone(tz).date() - at.astimezone(tz).date()).days != 1:
            continue
        app = i.application
        rows.append(
            NewNotification(
                user_id=user_id,
                kind=NotificationKind.INTERVIEW_TOMORROW,
                dedupe_key=f"interview_tomorrow:{i.pk}:{int(i.starts_at.timestamp())}",
                subject=f"Interview tomorrow: {app.title} at {app.company_name}",
                url=app.get_absolute_url(),
                payload={
                    "interview_id": i.pk,
                    "title": app.title,
                    "company": app.company_name,
                    "starts_at": i.starts_at,
                    "kind": i.get_kind_display(),
                    "location": i.location,
                },
            )
        )
    with transaction.atomic():
        _insert(rows)
    return len(rows)


def scan_stale_applications(*, at: datetime | None = None) -> int:
    """Off by default (email preference): an active application quiet for its user's
    stale_after_days; one nudge per quiet spell (keyed by its last activity)."""
    from tracking.models import Application, StageKind, TrackingSettings

    at = at or timezone.now()
    wanted = [
        p.user_id
        for p in Profile.objects.filter(email_preferences__stale_application=True).only("user_id")
    ]
    if not wanted:
        return 0
    days = dict(
        TrackingSettings.objects.filter(user_id__in=wanted).values_list(
            "user_id", "stale_after_days"
        )
    )
    rows = []
    for app in Application.objects.filter(
        user_id__in=wanted,
        archived=False,
        stage__kind=StageKind.ACTIVE,
        last_activity_at__lte=at - timedelta(days=1),
    ):
        if app.last_activity_at > at - timedelta(days=days.get(app.user_id, 14)):
            continue
        rows.append(
            NewNotification(
                user_id=app.user_id,
                kind=NotificationKind.STALE_APPLICATION,
                dedupe_key=f"stale_application:{app.pk}:{int(app.last_activity_at.timestamp())}",
                subject=f"Quiet for a while: {app.title} at {app.company_name}",
                url=app.get_absolute_url(),
                payload={"application_id": app.pk, "title": app.title, "company": app.company_name},
            )
        )
    with transaction.atomic():
        _insert(rows)
    return len(rows)


def _digest_due(search: SavedSearch, at: datetime) -> bool:
    if search.last_run_at is None:
        return True
    period = timedelta(days=7 if search.frequency == SavedSearchFrequency.WEEKLY else 1)
    return search.last_run_at <= at - period + timedelta(minutes=5)


def saved_search_new_postings(search: SavedSearch, *, limit: int = 20) -> list[Posting]:
    """Published postings matching the search, published after the newest one already sent."""
    from jobs.board.search import parse_search_params, search_postings
    from jobs.models import Posting

    params, _notices = parse_search_params(QueryDict(search.querystring))
    result = search_postings(dataclasses.replace(params, sort="newest"), per_page=100)
    ids = [hit.posting.pk for hit in result.hits] if result.hits else []
    since = search.last_sent_published_at or search.created_at
    return list(
        Posting.objects.published()
        .filter(pk__in=ids, published_at__gt=since)
        .select_related("company")
        .order_by("-published_at", "-id")[:limit]
    )


def scan_saved_searches(*, at: datetime | None = None) -> int:
    """Daily or weekly digests: each due search is claimed (SKIP LOCKED, last_run_at stamped in
    the same transaction) and yields at most one notification listing its new postings."""
    at = at or timezone.now()
    sent = 0
    while True:
        with transaction.atomic():
            search = (
                SavedSearch.objects.select_for_update(skip_locked=True)
                .filter(paused=False)
                .filter(
                    Q(last_run_at__isnull=True)
                    | Q(
                        frequency=SavedSearchFrequency.DAILY,
                        last_run_at__lte=at - timedelta(hours=23, minutes=55),
                    )
                    | Q(
                        frequency=SavedSearchFrequency.WEEKLY,
                        last_run_at__lte=at - timedelta(days=6, hours=23, minutes=55),
                    )
                )
                .order_by(F("last_run_at").asc(nulls_first=True), "id")
                .first()
            )
            if search is None:
                return sent
            postings = saved_search_new_postings(search)
            search.last_run_at = at
            if postings:
                # published_at__gt in the query: every one has a date
                newest = max(p.published_at for p in postings if p.published_at is not None)
                search.last_sent_published_at = newest
                _insert(
                    [
                        NewNotification(
                            user_id=search.user_id,
                            kind=NotificationKind.SAVED_SEARCH_DIGEST,
                            dedupe_key=f"saved_search:{search.pk}:{int(newest.timestamp() * 1e6)}",
                            subject=(
                                f"{len(postings)} new posting{'s' if len(postings) != 1 else ''}"
                                f" for “{search.name}”"
                            ),
                            url=search.get_absolute_url(),
                            payload={
                                "saved_search_id": search.pk,
                                "name": search.name,
                                "postings": [
                                    {
                                        "id": p.pk,
                                        "title": p.title,
                                        "company": p.company.name,
                                        "url": p.get_absolute_url(),
                                        "published_at": p.published_at,
                                    }
                                    for p in postings
                                ],
                            },
                        )
                    ]
                )
                sent += 1
            search.save(update_fields=["last_run_at", "last_sent_published_at"])


def notification_employer_posting(
    *, posting: Posting, decision: str, emailed_to: list[str] | tuple[str, ...] = ()
) -> None:
    """In-app copy of the employer's review email (jobs.moderation.services writes the email
    itself). `emailed_to`: the addresses the email was written to, an outbox row of the same
    transaction (config/outbox.py) that is sent once it commits: the copy says "emailed"."""
    creator = posting.created_by if posting.created_by_id else None
    users = [creator] if creator is not None else []
    emailed = {address.casefold() for address in emailed_to}
    bump_users(user.pk for user in users)  # the bell's count on their cached pages
    for user in users:
        was_emailed = user.email.casefold() in emailed
        Notification.objects.get_or_create(
            dedupe_key=(
                f"employer_posting:{posting.pk}:{decision}:"
                f"{int(posting.published_at.timestamp()) if posting.published_at else ''}"
            ),
            defaults={
                "user": user,
                "kind": NotificationKind.EMPLOYER_POSTING,
                "subject": f"{posting.title} was {'approved' if decision == 'published' else 'rejected'}",
                "url": posting.get_absolute_url(),
                "email_status": EmailStatus.SENT if was_emailed else EmailStatus.SKIPPED,
                "emailed_at": timezone.now() if was_emailed else None,
            },
        )


def requeue_unsent(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Carriers still pending whose task may have been lost: enqueue again. The send claim makes a
    second delivery of a task that is still alive a no-op."""
    at = timezone.now()
    ids = list(
        Notification.objects.filter(
            email_status=EmailStatus.PENDING,
            sent_with__isnull=True,
            created_at__lte=at - older_than,
        )
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=at))
        .values_list("pk", flat=True)[:5000]
    )
    _enqueue(ids)
    return len(ids)


def run_scanners() -> dict[str, int]:
    from jobs.clip.expiry import scan_expiring_clipped_jobs

    return {
        "reminders": scan_due_reminders(),
        "expiring": scan_expiring_saved_jobs(),
        "expiring_clipped": scan_expiring_clipped_jobs(),
        "closed": scan_closed_postings(),
        "interviews": scan_interviews_tomorrow(),
        "stale": scan_stale_applications(),
        "digests": scan_saved_searches(),
        "requeued": requeue_unsent(),
    }


# --- sending -------------------------------------------------------------------------------


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in NotificationKind.values:
        return None
    return int(data["u"]), str(data["k"])


def unsubscribe(*, user_id: int, kind: str) -> bool:
    profile = Profile.objects.filter(user_id=user_id).first()
    if profile is None:
        return False
    prefs = dict(profile.email_preferences or {})
    prefs[kind] = False
    profile.email_preferences = prefs
    profile.save(update_fields=["email_preferences", "updated_at"])
    return True


def _live_items(items: list[Notification]) -> list[Notification]:
    """Drop items whose subject is gone: a reminder deleted (with its application) or done, a
    job unsaved."""
    reminder_ids = [n.payload.get("reminder_id") for n in items if "reminder_id" in n.payload]
    live_reminders = set(
        Reminder.objects.filter(pk__in=reminder_ids, status=ReminderStatus.SENT).values_list(
            "pk", flat=True
        )
    )
    saved_ids = [n.payload.get("saved_job_id") for n in items if "saved_job_id" in n.payload]
    live_saved = set(SavedJob.objects.filter(pk__in=saved_ids).values_list("pk", flat=True))
    out = []
    for n in items:
        if "reminder_id" in n.payload and n.payload["reminder_id"] not in live_reminders:
            continue
        if "saved_job_id" in n.payload and n.payload["saved_job_id"] not in live_saved:
            continue
        out.append(n)
    return out


def _when(payload: dict) -> datetime | None:
    for key in ("due_at", "starts_at", "expires_at"):
        if payload.get(key):
            return parse_datetime(payload[key])
    return None


def notifications_claim(*, ids: list[int]) -> list[int]:
    """Take the right to send these carriers for one lease: one conditional UPDATE … RETURNING.
    A row is ours only if it is still pending and nobody else holds a live lease on it."""
    at = timezone.now()
    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET lease_until = %s, attempts = attempts + 1"  # noqa: S608 - table name only
            " WHERE id = ANY(%s) AND email_status = 'pending'"
            " AND (lease_until IS NULL OR lease_until < %s) RETURNING id",
            [at + timedelta(seconds=lease_seconds()), list(ids), at],
        )
        return [row[0] for row in cursor.fetchall()]


def notification_claim(*, notification_id: int) -> bool:
    return bool(notifications_claim(ids=[notification_id]))


def notification_send(*, notification_id: int) -> str:
    """Email one carrier and its group. Returns "sent", "skipped" or "busy" (not ours)."""
    return notifications_send(ids=[notification_id]).get(notification_id, "busy")


def notifications_send(*, ids: list[int]) -> dict[int, str]:
    """Email a batch of carriers, each with its group, over one mail connection: one claim, one
    load, then per carrier render → send → stamp sent. A failure is recorded on its carrier (lease
    released, never marked sent) and raised after the others are done, so the task retries;
    the retry's claim skips the ones already sent."""
    from config.outbox import delivery_connection

    claimed = notifications_claim(ids=ids)
    outcome = {pk: "busy" for pk in ids}
    if not claimed:
        return outcome
    rows = list(
        Notification.objects.filter(Q(pk__in=claimed) | Q(sent_with__in=claimed))
        .select_related("user__profile")
        .order_by("id")
    )
    live = {n.pk for n in _live_items(rows)}
    groups: dict[int, list[Notification]] = defaultdict(list)
    for n in rows:
        groups[n.sent_with_id or n.pk].append(n)
    error: Exception | None = None
    # Straight to the real backend: a notification is its own outbox row (not queued twice).
    mail_connection = delivery_connection()
    try:
        for pk in claimed:
            group = groups.get(pk, [])
            carrier = next((n for n in group if n.pk == pk), None)
            items = [n for n in group if n.pk in live]
            try:
                outcome[pk] = _send_group(carrier, items, mail_connection)
            except Exception as exc:  # noqa: BLE001 - recorded on the row, raised below
                error = error or exc
                outcome[pk] = "failed"
                Notification.objects.filter(pk=pk).update(
                    lease_until=None,
                    last_error=f"{type(exc).__name__}: {exc}"[:2000],
                    email_status=EmailStatus.FAILED
                    if carrier and carrier.attempts >= MAX_EMAIL_ATTEMPTS
                    else EmailStatus.PENDING,
                )
    finally:
        mail_connection.close()
    if error is not None:
        raise error
    return outcome


def _send_group(
    carrier: Notification | None, items: list[Notification], mail_connection: Any
) -> str:
    if carrier is None or carrier.sent_with_id is not None:
        return "skipped"
    group = Notification.objects.filter(Q(pk=carrier.pk) | Q(sent_with=carrier.pk))
    user = carrier.user
    profile = getattr(user, "profile", None)
    if not items or not user.is_active or (profile and not profile.wants_email(carrier.kind)):
        group.update(email_status=EmailStatus.SKIPPED, lease_until=None)
        return "skipped"
    for n in items:
        n.when = _when(n.payload)  # type: ignore[attr-defined]  # for the email template
    message_id = message_id_for(carrier.dedupe_key)
    token = unsubscribe_token(user_id=user.pk, kind=carrier.kind)
    unsubscribe_url = absolute_url(reverse("tracking:unsubscribe", args=[token]))
    headers = {
        "Message-ID": message_id,
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-Jobtrail-Notification": str(carrier.pk),
    }
    context = {
        "user": user,
        "kind": carrier.kind,
        "items": items,
        "notification": carrier,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": absolute_url(reverse("accounts:profile")),
        "notifications_url": absolute_url(reverse("tracking:notifications")),
        "kind_label": NotificationKind(carrier.kind).label,
    }
    with timezone.override(user_timezone(user)):
        send_templated_mail(
            template=TEMPLATES[carrier.kind],
            to=[user.email],
            context=context,
            headers=headers,
            connection=mail_connection,
        )
    group.update(
        email_status=EmailStatus.SENT,
        emailed_at=timezone.now(),
        lease_until=None,
        message_id=message_id,
    )
    return "sent"


# --- reads for the pages ---------------------------------------------------------------------


def unread_count(*, user: User) -> int:
    return Notification.objects.for_user(user).unread().count()


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    rows = Notification.objects.for_user(user).unread()
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())


# --- saved searches and settings (writes) ----------------------------------------------------


def saved_search_save(
    *, user: User, name: str, querystring: str, frequency: str
) -> tuple[SavedSearch, bool]:
    """Save a search, unless the user already saved this (normalised) query: the same search
    twice would send the same digest twice. Returns the search and whether it is new.

    The user's row is locked while checking, so two quick submits cannot both create one.
    """
    with transaction.atomic():
        User.objects.select_for_update().only("pk").get(pk=user.pk)
        same = SavedSearch.objects.filter(user=user, querystring=querystring).order_by("pk").first()
        if same:
            return same, False
        return saved_search_create(
            user=user, name=name, querystring=querystring, frequency=frequency
        ), True


def saved_search_create(*, user: User, name: str, querystring: str, frequency: str) -> SavedSearch:
    """Postings already out when the search is saved are not news: the first digest lists only
    those published afterwards."""
    return SavedSearch.objects.create(
        user=user,
        name=name,
        querystring=querystring,
        frequency=frequency,
        last_sent_published_at=timezone.now(),
    )


def saved_search_update(
    *, search: SavedSearch, name: str, querystring: str, frequency: str
) -> None:
    search.name, search.querystring, search.frequency = name, querystring, frequency
    search.save(update_fields=["name", "querystring", "frequency"])


def saved_search_set_paused(*, search: SavedSearch, paused: bool) -> None:
    search.paused = paused
    search.save(update_fields=["paused"])


def saved_search_delete(*, search: SavedSearch) -> None:
    search.delete()


def notification_settings_for(*, user: User) -> NotificationSettings:
    return NotificationSettings.objects.get_or_create(user=user)[0]


def notification_settings_update(*, user: User, expiry_warning_days: int) -> None:
    NotificationSettings.objects.update_or_create(
        user=user, defaults={"expiry_warning_days": expiry_warning_days}
    )
