"""Reads of the tracker that span several models: the board, the list, the journey timeline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts.models import User
from tracking.models import (
    Application,
    Interview,
    Note,
    Reminder,
    ReminderStatus,
    Stage,
    StageChange,
    StageKind,
    TrackingSettings,
)


def stages_for(*, user: User) -> list[Stage]:
    """The user's stages in board order, archived included. Created at sign-up, never here."""
    return list(Stage.objects.for_user(user))


def tracking_settings_for(*, user: User) -> TrackingSettings:
    """The user's tracking settings; the defaults (unsaved) if the row is somehow missing."""
    return TrackingSettings.objects.for_user(user).first() or TrackingSettings(user=user)


CARD_FIELDS = [
    "id",
    "title",
    "company_name",
    "location",
    "stage_id",
    "position",
    "stage_entered_at",
    "last_activity_at",
    "applied_at",
    "next_action",
    "created_at",
]


def _next_reminder() -> Subquery:
    return Subquery(
        Reminder.objects.filter(
            application=OuterRef("pk"),
            status__in=[ReminderStatus.PENDING, ReminderStatus.SENT],
        )
        .order_by("due_at")
        .values("due_at")[:1]
    )


def _decorate(app: Any, *, now: datetime, stale_after: timedelta, ending: bool) -> None:
    app.days_in_stage = max(0, (now - app.stage_entered_at).days)
    app.is_stale = not ending and now - app.last_activity_at > stale_after
    due = getattr(app, "next_reminder_at", None)
    app.reminder_overdue = due is not None and due <= now


class Card:
    """What a board card shows: a plain object made from one row (no model instance, which
    costs several times more to build for a board of hundreds of cards)."""

    __slots__ = (
        "pk", "title", "company_name", "stage_id", "stage_entered_at", "last_activity_at",
        "next_reminder_at", "days_in_stage", "is_stale", "reminder_overdue", "detail_url",
        "move_url", "age_text", "since_text", "reminder_text",
    )  # fmt: skip

    pk: int
    title: str
    company_name: str
    stage_id: int
    stage_entered_at: datetime
    last_activity_at: datetime
    next_reminder_at: datetime | None
    days_in_stage: int
    is_stale: bool
    reminder_overdue: bool
    detail_url: str
    move_url: str
    # Precomputed text (data, not HTML): the template prints them without filters, which keeps
    # a board of 500 cards cheap to render (the `date` filter per card was a large share).
    age_text: str
    since_text: str
    reminder_text: str

    def __init__(self, row: tuple, next_reminder_at: datetime | None) -> None:
        (
            self.pk, self.title, self.company_name, self.stage_id, self.stage_entered_at,
            self.last_activity_at,
        ) = row  # fmt: skip
        self.next_reminder_at = next_reminder_at


CARD_COLUMNS = ["id", "title", "company_name", "stage_id", "stage_entered_at", "last_activity_at"]


def _next_reminders(*, user: User, pks: list[int] | None = None) -> dict[int, datetime]:
    """The soonest open reminder of each of the user's applications, in one query
    (DISTINCT ON application_id)."""
    qs = Reminder.objects.for_user(user).filter(
        status__in=[ReminderStatus.PENDING, ReminderStatus.SENT]
    )
    if pks is not None:
        qs = qs.filter(application_id__in=pks)
    rows = (
        qs.order_by("application_id", "due_at")
        .distinct("application_id")
        .values_list("application_id", "due_at")
    )
    return dict(rows)


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _card_text(card: Card, tz: tzinfo) -> None:
    """The card's words, computed once in Python rather than by template filters per card;
    dates in the reader's timezone (`tz`), as the `date` filter showed them."""
    days = card.days_in_stage
    card.age_text = "Today" if not days else ("1 day here" if days == 1 else f"{days} days here")
    since = card.stage_entered_at.astimezone(tz)
    card.since_text = f"{since.day} {MONTHS[since.month - 1]} {since.year}"
    if card.next_reminder_at is None:
        card.reminder_text = ""
    else:
        due = card.next_reminder_at.astimezone(tz)
        word = "Overdue" if card.reminder_overdue else "Follow up"
        card.reminder_text = f"{word} {due.day} {MONTHS[due.month - 1]}"


def stage_param(stage: Stage) -> str:
    """How ?stage= names a column: the built-in key, or the id of a stage the user made."""
    return stage.key or str(stage.pk)


@dataclass
class Column:
    stage: Stage
    cards: list[Card] = field(default_factory=list)
    param: str = ""
    current: bool = False  # the column a phone shows (?stage=, else the first with cards)

    @property
    def count_label(self) -> str:
        n = len(self.cards)
        return f"{n} application" if n == 1 else f"{n} applications"


@dataclass
class Board:
    columns: list[Column]
    stages: list[Stage]  # the visible stages: the one shared Move menu
    stale_after_days: int
    total: int
    current: Column | None = None


def _cards(*, user: User, pks: list[int] | None = None) -> list[Card]:
    qs = Application.objects.for_user(user).active().filter(stage__archived=False)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    reminders = _next_reminders(user=user, pks=pks)
    rows = qs.order_by("position", "id").values_list(*CARD_COLUMNS)
    cards = [Card(row, reminders.get(row[0])) for row in rows]
    # Two reverse() calls for the whole board, not two per card (500 cards: ~0.3 s less).
    detail = reverse("tracking:application", args=[0]).replace("/0/", "/{}/")
    move = reverse("tracking:move", args=[0]).replace("/0/", "/{}/")
    for card in cards:
        card.detail_url = detail.format(card.pk)
        card.move_url = move.format(card.pk)
    return cards


def board_for(*, user: User, stage: str = "") -> Board:
    """The user's board: one column per visible stage, cards in their order. A fixed number
    of queries whatever the number of cards: stages, settings, next reminders, cards.

    `stage` (?stage=, a key or a stage id) picks the column a phone shows; an unknown value
    falls back to the first column with cards."""
    stages = [s for s in stages_for(user=user) if not s.archived]
    settings = tracking_settings_for(user=user)
    columns = {s.pk: Column(stage=s, param=stage_param(s)) for s in stages}
    now = timezone.now()
    tz = timezone.get_current_timezone()
    stale_after = timedelta(days=settings.stale_after_days)
    total = 0
    for card in _cards(user=user):
        column = columns.get(card.stage_id)
        if column is None:
            continue
        _decorate(card, now=now, stale_after=stale_after, ending=column.stage.is_ending)
        _card_text(card, tz)
        column.cards.append(card)
        total += 1
    ordered = list(columns.values())
    current = next((c for c in ordered if c.param == stage), None)
    if current is None:
        current = next((c for c in ordered if c.cards), ordered[0] if ordered else None)
    if current is not None:
        current.current = True
    return Board(
        columns=ordered,
        stages=stages,
        stale_after_days=settings.stale_after_days,
        total=total,
        current=current,
    )


def board_card(*, user: User, pk: int) -> tuple[Card, list[Stage]]:
    """One card as the board shows it (after a move), with the stages of its Move menu."""
    stages = [s for s in stages_for(user=user) if not s.archived]
    settings = tracking_settings_for(user=user)
    (card,) = _cards(user=user, pks=[pk])
    stage = next(s for s in stages if s.pk == card.stage_id)
    _decorate(
        card,
        now=timezone.now(),
        stale_after=timedelta(days=settings.stale_after_days),
        ending=stage.is_ending,
    )
    _card_text(card, timezone.get_current_timezone())
    return card, stages


LIST_SORTS = {
    "company": ["company_name", "title", "id"],
    "-company": ["-company_name", "-title", "-id"],
    "title": ["title", "id"],
    "-title": ["-title", "-id"],
    "stage": ["stage__position", "position", "id"],
    "-stage": ["-stage__position", "-position", "-id"],
    "applied": ["applied_at", "id"],
    "-applied": ["-applied_at", "-id"],
    "activity": ["last_activity_at", "id"],
    "-activity": ["-last_activity_at", "-id"],
    "reminder": ["next_reminder_at", "id"],
    "-reminder": ["-next_reminder_at", "-id"],
}


def application_list_for(
    *,
    user: User,
    sort: str = "-activity",
    stage: Stage | None = None,
    query: str = "",
    only_stale: bool = False,
    with_reminder: bool = False,
    include_archived: bool = False,
) -> QuerySet[Application]:
    settings = tracking_settings_for(user=user)
    qs = (
        Application.objects.for_user(user)
        .select_related("stage")
        .only(*CARD_FIELDS, "archived", "stage__name", "stage__kind", "stage__position")
        .annotate(next_reminder_at=_next_reminder())
    )
    if not include_archived:
        qs = qs.active()
    if stage is not None:
        qs = qs.filter(stage=stage)
    if query:
        qs = qs.filter(Q(company_name__icontains=query) | Q(title__icontains=query))
    if only_stale:
        cutoff = timezone.now() - timedelta(days=settings.stale_after_days)
        qs = qs.filter(last_activity_at__lt=cutoff).exclude(stage__kind=StageKind.ENDING)
    if with_reminder:
        qs = qs.filter(next_reminder_at__isnull=False)
    nulls = {"nulls_last": True}
    order: list[Any] = []
    for f in LIST_SORTS.get(sort, LIST_SORTS["-activity"]):
        name = f.lstrip("-")
        if name in {"applied_at", "next_reminder_at"}:
            order.append(F(name).desc(**nulls) if f.startswith("-") else F(name).asc(**nulls))
        else:
            order.append(f)
    qs = qs.order_by(*order)
    qs.stale_after = timedelta(days=settings.stale_after_days)
    return qs


def decorate_cards(apps: Iterable[Application], *, stale_after: timedelta) -> list[Application]:
    now = timezone.now()
    apps = list(apps)
    for app in apps:
        _decorate(app, now=now, stale_after=stale_after, ending=app.stage.is_ending)
    return apps


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # stage | note | reminder | interview | email
    title: str
    obj: Any = None
    detail: str = ""


def application_timeline(*, application: Application) -> list[TimelineEntry]:
    """The journey in one chronological list: stage changes, notes, reminders (and their
    emails), interviews."""
    entries: list[TimelineEntry] = []
    changes = StageChange.objects.filter(application=application).select_related(
        "from_stage", "to_stage", "by"
    )
    for c in changes:
        if c.from_stage is None:
            title = format_html("Added to <strong>{}</strong>", c.to_stage.name)
        else:
            title = format_html(
                "Moved from <strong>{}</strong> to <strong>{}</strong>",
                c.from_stage.name,
                c.to_stage.name,
            )
        entries.append(TimelineEntry(at=c.changed_at, kind="stage", title=title, obj=c))
    for n in Note.objects.filter(application=application):
        entries.append(TimelineEntry(at=n.created_at, kind="note", title="Note", obj=n))
    for r in Reminder.objects.filter(application=application):
        label: str = {
            ReminderStatus.PENDING: "Follow-up reminder",
            ReminderStatus.SENT: "Follow-up reminder (emailed)",
            ReminderStatus.DONE: "Follow-up reminder (done)",
            ReminderStatus.CANCELLED: "Follow-up reminder (cancelled)",
        }[ReminderStatus(r.status)]
        entries.append(
            TimelineEntry(at=r.due_at, kind="reminder", title=label, obj=r, detail=r.message)
        )
        if r.sent_at:
            entries.append(
                TimelineEntry(
                    at=r.sent_at, kind="email", title="Reminder email sent", obj=r, detail=""
                )
            )
    for i in Interview.objects.filter(application=application):
        entries.append(
            TimelineEntry(
                at=i.starts_at,
                kind="interview",
                title=f"{i.get_kind_display()} interview",
                obj=i,
                detail=i.people,
            )
        )
    order = {"stage": 0, "note": 1, "interview": 2, "reminder": 3, "email": 4}
    entries.sort(key=lambda e: (e.at, order[e.kind]))
    return entries


def upcoming_interviews_for(*, user: User, limit: int = 10) -> list[Interview]:
    return list(
        Interview.objects.for_user(user)
        .filter(starts_at__gte=timezone.now() - timedelta(hours=2))
        .select_related("application")
        .order_by("starts_at")[:limit]
    )


def open_reminders_for(*, user: User, limit: int = 10) -> list[Reminder]:
    """Due, overdue and upcoming reminders for the dashboard, soonest first."""
    return list(
        Reminder.objects.for_user(user)
        .open()
        .select_related("application")
        .order_by("due_at")[:limit]
    )


def tracked_application_for(*, user: User, posting_id: int) -> Application | None:
    """The user's live application for a posting (for "Tracking: <stage>" on its page)."""
    if not user.is_authenticated:
        return None
    return (
        Application.objects.for_user(user)
        .active()
        .select_related("stage")
        .filter(posting_id=posting_id)
        .first()
    )


def tracked_stages_for(*, user: User, posting_ids: list[int]) -> dict[int, str]:
    """posting id → stage name of the user's live applications, for a list of postings in one
    query (search results, saved jobs)."""
    if not user.is_authenticated or not posting_ids:
        return {}
    rows = (
        Application.objects.for_user(user)
        .active()
        .filter(posting_id__in=posting_ids)
        .values_list("posting_id", "stage__name")
    )
    return dict(rows)
