"""Use cases of the application tracker. Keyword-only, typed, named <entity>_<action>.

Errors the user can fix are raised as ValidationError with a dict keyed by the form field
they belong to (the views put them on that field); nothing is saved when one is raised.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Max, PositiveIntegerField, Value, When
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from config import limits, markdown
from config.dates import RANGE_MESSAGE, in_range, shifted
from jobs.models import Posting
from tracking.models import (
    BUILTIN_STAGES,
    Application,
    CalendarFeedToken,
    Contact,
    Interview,
    Note,
    Reminder,
    ReminderStatus,
    Stage,
    StageChange,
    StageKey,
    StageKind,
    TrackingSettings,
)

QUICK_PICKS = {"3d": timedelta(days=3), "1w": timedelta(days=7)}
SNOOZES = {"1d": timedelta(days=1), "3d": timedelta(days=3), "1w": timedelta(days=7)}
QUICK_PICK_HOUR = 9  # quick picks land at 09:00 in the user's timezone


# --- stages -------------------------------------------------------------------------------


def tracking_setup(*, user: User) -> None:
    """What every account starts with: the built-in stages and the tracking settings. Run at
    sign-up (tracking/applications/signals.py) and by the backfill migration, so that reading
    a page never has to write."""
    stages_ensure(user=user)
    # By id: the user instance keeps no cached settings row that a later update would outdate.
    TrackingSettings.objects.get_or_create(user_id=user.pk)


def stages_ensure(*, user: User) -> list[Stage]:
    """The user's stages in board order (archived included), creating the built-in ones if
    they are missing. For writes only (reads use selectors.stages_for). Safe to run
    concurrently: the (user, key) constraint absorbs a double start."""
    stages = list(Stage.objects.for_user(user))
    if stages:
        return stages
    Stage.objects.bulk_create(
        [
            Stage(user=user, key=key, name=key.label, kind=kind, position=i)
            for i, (key, kind) in enumerate(BUILTIN_STAGES)
        ],
        ignore_conflicts=True,
    )
    return list(Stage.objects.for_user(user))


def stage_for_key(*, user: User, key: str) -> Stage:
    stages = stages_ensure(user=user)
    for stage in stages:
        if stage.key == key:
            return stage
    raise Stage.DoesNotExist(f"No stage with key {key!r}")


def default_stage(*, user: User) -> Stage:
    """Where newly tracked jobs land: the stage keyed "saved" (named "Interested"), or the
    first column if it is archived."""
    stages = stages_ensure(user=user)
    visible = [s for s in stages if not s.archived]
    return next((s for s in visible if s.key == StageKey.SAVED), visible[0])


def _check_stage_name(*, user: User, name: str, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the stage a name."})
    if len(name) > 60:
        raise ValidationError({"name": "Keep the name to 60 characters."})
    clash = Stage.objects.for_user(user).visible().annotate(lname=Lower("name"))
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.filter(lname=name.lower()).exists():
        raise ValidationError({"name": f"You already have a stage called “{name}”."})
    return name


@transaction.atomic
def stage_create(*, user: User, name: str, kind: str = StageKind.ACTIVE) -> Stage:
    stages_ensure(user=user)
    name = _check_stage_name(user=user, name=name)
    if kind not in StageKind.values:
        raise ValidationError({"kind": "Choose active or ending."})
    last = Stage.objects.for_user(user).aggregate(m=Max("position"))["m"]
    return Stage.objects.create(user=user, name=name, kind=kind, position=(last or 0) + 1, key="")


def stage_rename(*, stage: Stage, name: str) -> Stage:
    stage.name = _check_stage_name(user=stage.user, name=name, exclude_pk=stage.pk)
    stage.save(update_fields=["name"])
    return stage


@transaction.atomic
def stage_reorder(*, user: User, stage_ids: list[int]) -> None:
    """Put the user's stages in the given order; stages not named keep their relative order
    after the named ones. Ids of other users' stages are ignored."""
    stages = stages_ensure(user=user)
    by_id = {s.pk: s for s in stages}
    ordered = [by_id[i] for i in dict.fromkeys(stage_ids) if i in by_id]
    ordered += [s for s in stages if s not in ordered]
    Stage.objects.filter(pk__in=[s.pk for s in ordered]).update(
        position=Case(
            *[When(pk=s.pk, then=Value(i)) for i, s in enumerate(ordered)],
            output_field=PositiveIntegerField(),
        )
    )


def stage_shift(*, stage: Stage, offset: int) -> None:
    """Move a stage left (offset -1) or right (+1) on the board."""
    stages = [s for s in stages_ensure(user=stage.user)]
    ids = [s.pk for s in stages]
    i = ids.index(stage.pk)
    j = max(0, min(len(ids) - 1, i + offset))
    ids.insert(j, ids.pop(i))
    stage_reorder(user=stage.user, stage_ids=ids)


def stage_archive(*, stage: Stage) -> Stage:
    """Hide a stage from the board. Its history stays; it must be empty of live applications."""
    count = Application.objects.filter(stage=stage, archived=False).count()
    if count:
        raise ValidationError(
            f"Move the {count} application{'s' if count != 1 else ''} in “{stage.name}” to "
            "another stage before archiving it."
        )
    visible = Stage.objects.for_user(stage.user).visible().exclude(pk=stage.pk)
    if not visible.exists():
        raise ValidationError("Keep at least one stage on the board.")
    stage.archived = True
    stage.save(update_fields=["archived"])
    return stage


def stage_unarchive(*, stage: Stage) -> Stage:
    _check_stage_name(user=stage.user, name=stage.name, exclude_pk=stage.pk)
    stage.archived = False
    stage.save(update_fields=["archived"])
    return stage


# --- settings -----------------------------------------------------------------------------


def tracking_settings_update(*, user: User, stale_after_days: int) -> TrackingSettings:
    if not 1 <= int(stale_after_days) <= 365:
        raise ValidationError({"stale_after_days": "Pick a number of days from 1 to 365."})
    obj, _ = TrackingSettings.objects.get_or_create(user=user)
    obj.stale_after_days = int(stale_after_days)
    obj.save(update_fields=["stale_after_days"])
    return obj


# --- applications -------------------------------------------------------------------------


def _column_end(*, stage: Stage) -> int:
    last = Application.objects.filter(stage=stage, archived=False).aggregate(m=Max("position"))
    return 0 if last["m"] is None else last["m"] + 1


def _start(*, application: Application, stage: Stage, by: User | None) -> Application:
    now = timezone.now()
    if stage.user_id != application.user_id:
        raise ValidationError({"stage": "That stage is not one of yours."})
    application.stage = stage
    application.position = _column_end(stage=stage)
    application.stage_entered_at = now
    application.last_activity_at = now
    if stage.key == StageKey.APPLIED and application.applied_at is None:
        application.applied_at = now
    application.full_clean(
        exclude=["stage", "posting", "user", "document"], validate_constraints=False
    )
    application.save()
    StageChange.objects.create(
        application=application, from_stage=None, to_stage=stage, changed_at=now, by=by
    )
    return application


@transaction.atomic
def application_create_from_posting(
    *, user: User, posting: Posting, stage: Stage | None = None
) -> tuple[Application, bool]:
    """Track a posting. Idempotent: tracking a posting again returns the live application."""
    existing = Application.objects.for_user(user).active().filter(posting=posting).first()
    if existing:
        return existing, False
    stage = stage or default_stage(user=user)
    locations = ", ".join(str(loc) for loc in posting.locations.all()[:3])
    application = Application(
        user=user,
        posting=posting,
        company_name=posting.company.name[:200],
        title=posting.title[:200],
        url=posting.apply_url or "",
        location=(locations or posting.get_workplace_display())[:200],
        source="Jobtrail",
    )
    try:
        with transaction.atomic():
            return _start(application=application, stage=stage, by=user), True
    except IntegrityError:
        # Two clicks raced; the other one won.
        return Application.objects.for_user(user).active().get(posting=posting), False


@transaction.atomic
def application_create_external(
    *,
    user: User,
    company_name: str,
    title: str,
    url: str = "",
    location: str = "",
    posting_text: str = "",
    source: str = "",
    stage: Stage | None = None,
) -> Application:
    stage = stage or default_stage(user=user)
    errors = {}
    if not (company_name or "").strip():
        errors["company_name"] = "Which company is it?"
    if not (title or "").strip():
        errors["title"] = "What is the job called?"
    if errors:
        raise ValidationError(errors)
    application = Application(
        user=user,
        company_name=company_name.strip(),
        title=title.strip(),
        url=url or "",
        location=location or "",
        posting_text=posting_text or "",
        source=source or "",
    )
    return _start(application=application, stage=stage, by=user)


EDITABLE_FIELDS = [
    "company_name",
    "title",
    "url",
    "location",
    "posting_text",
    "applied_at",
    "source",
    "salary_expectation",
    "resume_version",
    "cover_letter_version",
    "document",
    "next_action",
]


def application_update(*, application: Application, **changes) -> Application:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        if name == "document" and value is False:
            value = ""  # the form's "Clear" box (Django's FileField.save_form_data does this)
        setattr(application, name, value)
    application.last_activity_at = timezone.now()
    application.full_clean(exclude=["stage", "posting", "user"], validate_constraints=False)
    application.save()
    return application


def application_archive(*, application: Application, archived: bool = True) -> Application:
    application.archived = archived
    try:
        with transaction.atomic():
            application.save(update_fields=["archived", "updated_at"])
    except IntegrityError as exc:
        raise ValidationError(
            "You already track this posting in another live application."
        ) from exc
    return application


def application_delete(*, application: Application) -> None:
    application.delete()


@dataclass
class LimitWarning:
    group_name: str
    limit: int
    counted: list[Application] = field(default_factory=list)

    def __str__(self) -> str:
        names = "; ".join(
            f"{a.title} at {a.company_name} (applied {timezone.localtime(a.applied_at):%d %b %Y})"
            for a in self.counted
        )
        n = self.limit
        return (
            f"{self.group_name} considers at most {n} application{'s' if n != 1 else ''} across "
            f"its companies, in the order applied. These count before this one: {names}."
        )


def application_limit_check(*, application: Application) -> LimitWarning | None:
    """If applying now would exceed the company group's limit, the earlier applications that
    count (the first N in the order applied)."""
    posting = application.posting
    if posting is None:
        return None
    group = posting.company.group
    if group is None or not group.application_limit:
        return None
    earlier = (
        Application.objects.for_user(application.user)
        .filter(posting__company__group=group, applied_at__isnull=False)
        .exclude(pk=application.pk)
        .order_by("applied_at", "id")
    )
    counted = list(earlier[: group.application_limit])
    if len(counted) < group.application_limit:
        return None
    return LimitWarning(group_name=group.name, limit=group.application_limit, counted=counted)


@dataclass
class MoveResult:
    application: Application
    change: StageChange | None
    warning: LimitWarning | None = None


@transaction.atomic
def application_move(
    *, application: Application, stage: Stage, position: int | None = None, by: User | None
) -> MoveResult:
    """Put the application in `stage` at `position` (0 = top; None = bottom) and renumber that
    column in one query. A change of stage is recorded as a StageChange; moving to "applied"
    sets applied_at unless it is set, and warns when a company group's limit is exceeded."""
    if stage.user_id != application.user_id:
        raise ValidationError({"stage": "That stage is not one of yours."})
    if stage.archived:
        raise ValidationError({"stage": f"“{stage.name}” is archived."})
    # Serialize moves into one column so two drops cannot interleave their renumbering.
    Stage.objects.select_for_update().filter(pk=stage.pk).first()
    application = Application.objects.select_for_update().get(pk=application.pk)
    column = list(
        Application.objects.filter(user_id=application.user_id, stage=stage, archived=False)
        .exclude(pk=application.pk)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    if position is None or position > len(column):
        position = len(column)
    position = max(0, position)
    column.insert(position, application.pk)
    Application.objects.filter(pk__in=column).update(
        position=Case(
            *[When(pk=pk, then=Value(i)) for i, pk in enumerate(column)],
            output_field=PositiveIntegerField(),
        )
    )
    application.position = position
    if application.stage_id == stage.pk:
        return MoveResult(application=application, change=None)

    warning = None
    now = timezone.now()
    if stage.key == StageKey.APPLIED and application.applied_at is None:
        warning = application_limit_check(application=application)
        application.applied_at = now
    change = StageChange.objects.create(
        application=application,
        from_stage_id=application.stage_id,
        to_stage=stage,
        changed_at=now,
        by=by,
    )
    application.stage = stage
    application.stage_entered_at = now
    application.last_activity_at = now
    application.save(
        update_fields=["stage", "stage_entered_at", "last_activity_at", "applied_at", "updated_at"]
    )
    return MoveResult(application=application, change=change, warning=warning)


@transaction.atomic
def stage_change_edit_date(*, change: StageChange, changed_at: datetime) -> StageChange:
    """Correct when a change happened (say it was logged late). The first recorded time is
    kept in original_changed_at and the edit is stamped."""
    now = timezone.now()
    if changed_at is None:
        raise ValidationError({"changed_at": "Enter a date and time."})
    if changed_at > now + timedelta(minutes=1):
        raise ValidationError({"changed_at": "A change cannot happen in the future."})
    if not in_range(changed_at):
        raise ValidationError({"changed_at": RANGE_MESSAGE})
    siblings = change.application.stage_changes.exclude(pk=change.pk)
    before = siblings.filter(pk__lt=change.pk).order_by("-pk").first()
    after = siblings.filter(pk__gt=change.pk).order_by("pk").first()
    if before is not None and changed_at < before.changed_at:
        raise ValidationError(
            {
                "changed_at": "It cannot be earlier than the step before it "
                f"({timezone.localtime(before.changed_at):%d %b %Y %H:%M})."
            }
        )
    if after is not None and changed_at > after.changed_at:
        raise ValidationError(
            {
                "changed_at": "It cannot be later than the step after it "
                f"({timezone.localtime(after.changed_at):%d %b %Y %H:%M})."
            }
        )
    if change.original_changed_at is None:
        change.original_changed_at = change.changed_at
    change.changed_at = changed_at
    change.edited_at = now
    change.save(update_fields=["changed_at", "original_changed_at", "edited_at"])
    application = change.application
    fields = []
    if after is None and change.to_stage_id == application.stage_id:
        application.stage_entered_at = changed_at
        fields.append("stage_entered_at")
    if change.to_stage.key == StageKey.APPLIED:
        first_applied = (
            application.stage_changes.filter(to_stage__key=StageKey.APPLIED)
            .order_by("changed_at")
            .first()
        )
        if first_applied is not None:  # always: `change` itself moved it to Applied
            application.applied_at = first_applied.changed_at
            fields.append("applied_at")
    if fields:
        application.save(update_fields=[*fields, "updated_at"])
    return change


def _touch(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(last_activity_at=timezone.now())


# --- notes --------------------------------------------------------------------------------


def render_markdown(body: str) -> str:
    # A note is written like a message: a new line is a line break.
    return markdown.render_markdown(body, hard_breaks=True)


def _check_note(body: str) -> str:
    if not (body or "").strip():
        raise ValidationError({"body": "Write something first."})
    if len(body) > limits.NOTE_BODY:
        raise ValidationError({"body": f"Keep a note under {limits.NOTE_BODY:,} characters."})
    return body


def note_add(*, application: Application, body: str) -> Note:
    body = _check_note(body)
    now = timezone.now()
    note = Note.objects.create(
        application=application,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        updated_at=now,
    )
    _touch(application)
    return note


def note_edit(*, note: Note, body: str) -> Note:
    note.body = _check_note(body)
    note.body_html = render_markdown(note.body)
    note.updated_at = timezone.now()
    note.save(update_fields=["body", "body_html", "updated_at"])
    _touch(note.application)
    return note


def note_delete(*, note: Note) -> None:
    note.delete()


# --- reminders ----------------------------------------------------------------------------


def quick_pick_due(*, pick: str, tz: zoneinfo.ZoneInfo, now: datetime | None = None) -> datetime:
    """ "In 3 days" / "in a week": that day at 09:00 in the user's timezone (DST-safe)."""
    if pick not in QUICK_PICKS:
        raise ValidationError({"due_at": "Unknown quick pick."})
    now = now or timezone.now()
    day = (now.astimezone(tz) + QUICK_PICKS[pick]).date()
    return datetime.combine(day, time(QUICK_PICK_HOUR), tzinfo=tz)


def reminder_create(
    *, application: Application, due_at: datetime | None, message: str = ""
) -> Reminder:
    if due_at is None:
        raise ValidationError({"due_at": "When should we remind you?"})
    if timezone.is_naive(due_at):
        raise ValueError("due_at must be timezone-aware")
    if not in_range(due_at):
        raise ValidationError({"due_at": RANGE_MESSAGE})
    if due_at <= timezone.now():
        raise ValidationError({"due_at": "Pick a time in the future."})
    reminder = Reminder.objects.create(
        application=application, due_at=due_at, message=(message or "").strip()[:300]
    )
    _touch(application)
    return reminder


def reminder_done(*, reminder: Reminder) -> Reminder:
    reminder.status = ReminderStatus.DONE
    reminder.done_at = timezone.now()
    reminder.save(update_fields=["status", "done_at"])
    _touch(reminder.application)
    return reminder


def reminder_snooze(*, reminder: Reminder, by: str) -> Reminder:
    """Push an open reminder later (from now, or from its due time if that is later); it is
    pending again, so the notifier emails it once more when the new time comes."""
    if by not in SNOOZES:
        raise ValidationError({"by": "Snooze for a day, three days or a week."})
    if not reminder.is_open:
        raise ValidationError("Only an open reminder can be snoozed.")
    # A reminder near the end of the accepted range cannot move past it.
    reminder.due_at = shifted(max(timezone.now(), reminder.due_at), SNOOZES[by], field="by")
    reminder.status = ReminderStatus.PENDING
    reminder.sent_at = None
    reminder.save(update_fields=["due_at", "status", "sent_at"])
    return reminder


def reminder_cancel(*, reminder: Reminder) -> Reminder:
    reminder.status = ReminderStatus.CANCELLED
    reminder.cancelled_at = timezone.now()
    reminder.save(update_fields=["status", "cancelled_at"])
    return reminder


# --- interviews ---------------------------------------------------------------------------

INTERVIEW_FIELDS = ["kind", "location", "people", "prep_notes"]


def _check_interview(
    starts_at: datetime | None, ends_at: datetime | None, tzname: str
) -> tuple[datetime, int]:
    """The checked start and the duration in minutes."""
    errors = {}
    try:
        zoneinfo.ZoneInfo(tzname)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = "Choose a timezone from the list."
    if starts_at is None:
        errors["start_time"] = "When does it start?"
    if ends_at is None:
        errors["end_time"] = "When does it end?"
    if not (in_range(starts_at) and in_range(ends_at)):
        errors["date"] = RANGE_MESSAGE
    if errors or starts_at is None or ends_at is None:
        raise ValidationError(errors)
    if ends_at <= starts_at:
        raise ValidationError({"end_time": "The interview must end after it starts."})
    if ends_at - starts_at > timedelta(hours=24):
        raise ValidationError(
            {"end_time": "An interview of more than 24 hours? Check the end time."}
        )
    return starts_at, int((ends_at - starts_at).total_seconds() // 60)


def interview_create(
    *,
    application: Application,
    starts_at: datetime | None,
    ends_at: datetime | None,
    timezone_name: str,
    **details,
) -> Interview:
    start, duration = _check_interview(starts_at, ends_at, timezone_name)
    interview = Interview.objects.create(
        application=application,
        starts_at=start,
        timezone=timezone_name,
        duration_minutes=duration,
        **{k: v or "" for k, v in details.items() if k in INTERVIEW_FIELDS},
    )
    _touch(application)
    return interview


def interview_edit(
    *,
    interview: Interview,
    starts_at: datetime | None,
    ends_at: datetime | None,
    timezone_name: str,
    **details,
) -> Interview:
    interview.starts_at, interview.duration_minutes = _check_interview(
        starts_at, ends_at, timezone_name
    )
    interview.timezone = timezone_name
    for k, v in details.items():
        if k in INTERVIEW_FIELDS:
            setattr(interview, k, v or "")
    interview.updated_at = timezone.now()
    interview.save()
    _touch(interview.application)
    return interview


def interview_delete(*, interview: Interview) -> None:
    interview.delete()


# --- contacts -----------------------------------------------------------------------------


def contact_add(
    *, application: Application, name: str, role: str = "", email: str = "", notes: str = ""
) -> Contact:
    contact = Contact(application=application, name=(name or "").strip(), role=role or "")
    contact.email, contact.notes = email or "", notes or ""
    contact.full_clean(exclude=["application"])
    contact.save()
    _touch(application)
    return contact


def contact_edit(*, contact: Contact, **changes) -> Contact:
    for k in ("name", "role", "email", "notes"):
        if k in changes:
            setattr(contact, k, changes[k] or "")
    contact.full_clean(exclude=["application"])
    contact.save()
    return contact


def contact_delete(*, contact: Contact) -> None:
    contact.delete()


# --- calendar feed ------------------------------------------------------------------------


def calendar_token_for(*, user: User) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.for_user(user).live().first()


@transaction.atomic
def calendar_token_regenerate(*, user: User) -> CalendarFeedToken:
    """Revoke the live token (if any) and make a new one: old URLs stop working at once."""
    calendar_token_revoke(user=user)
    return CalendarFeedToken.objects.create(user=user)


def calendar_token_revoke(*, user: User) -> int:
    return CalendarFeedToken.objects.for_user(user).live().update(revoked_at=timezone.now())
