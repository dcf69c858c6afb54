"""Everything personal about tracking an application: stages, applications, their journey
(stage changes), notes, reminders, interviews, contacts, the calendar feed token and settings.

Every personal model has a `for_user(user)` queryset: views look rows up through it, so another
user's id is a 404. Writes go through each use-case package's services.py
(tracking/applications, saved, alerts).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import now

from config import limits
from config.dates import BoundedDateTimeField
from config.timezones import timezone_choices


class StageKind(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDING = "ending", "Ending"


class StageKey(models.TextChoices):
    """The built-in stages every user starts with. User-made stages have an empty key."""

    # Named "Interested" (the key stays "saved"): saved jobs are bookmarks under /saved/, this
    # is the board's first stage. docs/architecture.md, "Saved jobs and the board".
    SAVED = "saved", "Interested"
    APPLIED = "applied", "Applied"
    SCREENING = "screening", "Screening"
    INTERVIEW = "interview", "Interview"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NO_RESPONSE = "no_response", "No response"


# (key, kind) in board order. "Accepted" ends the journey too, happily.
BUILTIN_STAGES: list[tuple[StageKey, StageKind]] = [
    (StageKey.SAVED, StageKind.ACTIVE),
    (StageKey.APPLIED, StageKind.ACTIVE),
    (StageKey.SCREENING, StageKind.ACTIVE),
    (StageKey.INTERVIEW, StageKind.ACTIVE),
    (StageKey.OFFER, StageKind.ACTIVE),
    (StageKey.ACCEPTED, StageKind.ENDING),
    (StageKey.REJECTED, StageKind.ENDING),
    (StageKey.WITHDRAWN, StageKind.ENDING),
    (StageKey.NO_RESPONSE, StageKind.ENDING),
]


class StageQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def visible(self):
        return self.filter(archived=False)


class Stage(models.Model):
    """A column of the user's board. Built-in stages carry a key; names are the user's to change.

    Archived stages leave the board but stay in the database, so the history that points at
    them keeps its meaning."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stages"
    )
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=StageKind.choices, default=StageKind.ACTIVE)
    key = models.CharField(max_length=20, choices=StageKey.choices, blank=True, default="")
    position = models.PositiveIntegerField(default=0)
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="unique_stage_key"
            ),
            models.UniqueConstraint(
                "user",
                Lower("name"),
                condition=models.Q(archived=False),
                name="unique_visible_stage_name",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ending(self) -> bool:
        return self.kind == StageKind.ENDING


class ApplicationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def active(self):
        return self.filter(archived=False)


def application_file_path(instance: Application, filename: str) -> str:
    token = secrets.token_hex(8)
    return f"applications/{instance.user_id}/{token}/{filename}"


class Application(models.Model):
    """One job the user is going for: a posting of the board, or an external job whose company,
    title, URL and text are kept here. Posting-linked applications copy the company and title
    when they are created, so the card reads the same after the posting is gone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    posting = models.ForeignKey(
        "jobs.Posting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    company_name = models.CharField("company", max_length=200)
    title = models.CharField("job title", max_length=200)
    url = models.URLField("job URL", max_length=500, blank=True)
    location = models.CharField(max_length=200, blank=True)
    posting_text = models.TextField(
        "posting text",
        blank=True,
        help_text="The job ad, pasted as plain text.",
        max_length=limits.POSTING_TEXT,
        validators=[MaxLengthValidator(limits.POSTING_TEXT)],
    )

    stage = models.ForeignKey(Stage, on_delete=models.RESTRICT, related_name="applications")
    position = models.PositiveIntegerField(default=0, help_text="Order within its column.")
    stage_entered_at = BoundedDateTimeField(default=now)
    applied_at = BoundedDateTimeField("applied on", null=True, blank=True)

    source = models.CharField(
        max_length=100, blank=True, help_text="Where you found it: Jobtrail, referral, LinkedIn…"
    )
    salary_expectation = models.CharField(max_length=100, blank=True)
    resume_version = models.CharField("résumé version", max_length=100, blank=True)
    cover_letter_version = models.CharField(max_length=100, blank=True)
    document = models.FileField(
        "résumé or cover letter file",
        upload_to=application_file_path,
        blank=True,
        help_text="Optional, PDF/DOC/DOCX/ODT/TXT up to 2 MB.",
    )
    next_action = models.CharField(max_length=200, blank=True)

    # A job clipped from another site (jobs.clip): how to recognise it again, and what the page
    # said. `expires_at` (the page's validThrough) drives the "saved job expiring" email.
    canonical_url = models.URLField(max_length=500, blank=True)
    expires_at = models.DateTimeField("closes on", null=True, blank=True)
    salary = models.CharField("advertised salary", max_length=100, blank=True)
    workplace = models.CharField(max_length=20, blank=True)
    employment_type = models.CharField(max_length=50, blank=True)
    # Collections hold board postings through SavedJob, and outside jobs (posting is null: a
    # clipped or hand-added job, whose fields live on this row) through this link; /saved/
    # lists both (tracking.saved.selectors.saved_page_for).
    collections = models.ManyToManyField("Collection", blank=True, related_name="applications")

    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_activity_at = models.DateTimeField(default=now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]  # within a column; no join on the default order
        constraints = [
            # Tracking a posting twice would split its journey in two.
            models.UniqueConstraint(
                fields=["user", "posting"],
                condition=models.Q(posting__isnull=False, archived=False),
                name="unique_active_application_per_posting",
            )
        ]
        indexes = [
            # The board: one user's applications, column by column, in card order.
            models.Index(fields=["user", "stage", "position"], name="application_board"),
            # Clipping a job again finds the one already kept (jobs.clip.services).
            models.Index(
                fields=["user", "canonical_url"],
                condition=~models.Q(canonical_url=""),
                name="application_canonical_url",
            ),
            # The expiry scanner: external jobs whose page gave a deadline.
            models.Index(
                fields=["expires_at"],
                condition=models.Q(expires_at__isnull=False, posting__isnull=True),
                name="application_external_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.company_name}"

    def get_absolute_url(self) -> str:
        return reverse("tracking:application", args=[self.pk])

    @property
    def document_filename(self) -> str:
        return self.document.name.rsplit("/", 1)[-1] if self.document else ""


class StageChangeQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(application__user=user)


class StageChange(models.Model):
    """One step of the journey. `from_stage` is empty for the first stage an application had.
    Editing `changed_at` keeps the first value in `original_changed_at` and stamps `edited_at`."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.RESTRICT, related_name="+")
    changed_at = BoundedDateTimeField(default=now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    original_changed_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [
            models.Index(fields=["application", "changed_at"], name="stagechange_journey"),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage} at {self.changed_at:%Y-%m-%d %H:%M}"


class NoteQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(application__user=user)


class Note(models.Model):
    """Markdown written by the user; `body_html` is its rendering, sanitized, made on save by
    the service."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(
        max_length=limits.NOTE_BODY, validators=[MaxLengthValidator(limits.NOTE_BODY)]
    )
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def was_edited(self) -> bool:
        return (self.updated_at - self.created_at).total_seconds() > 1


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ReminderQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(application__user=user)

    def open(self):
        """Not yet dealt with by the user: pending, or emailed but not marked done."""
        return self.filter(status__in=[ReminderStatus.PENDING, ReminderStatus.SENT])


class Reminder(models.Model):
    """ "Follow up on <date time>". The notifications scanner emails pending reminders that are
    due, claiming each with a conditional update (status pending → sent)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reminders")
    due_at = BoundedDateTimeField()
    message = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # The due-reminder scanner (notifications issue) runs every minute:
            #   WHERE status = 'pending' AND due_at <= now() ORDER BY due_at
            # A partial index on due_at over pending rows only stays small (sent/done/cancelled
            # rows, the vast majority over time, are not in it) and answers the range scan.
            models.Index(
                fields=["due_at"],
                condition=models.Q(status="pending"),
                name="reminder_pending_due",
            ),
            # An application's reminders and the board's "next reminder" per card.
            models.Index(fields=["application", "status", "due_at"], name="reminder_app_open"),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.due_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in (ReminderStatus.PENDING, ReminderStatus.SENT)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at <= timezone.now()


class InterviewKind(models.TextChoices):
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    ONSITE = "onsite", "On-site"


class InterviewQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(application__user=user)


class Interview(models.Model):
    """Stored in UTC with the timezone it was arranged in: shown and exported in that zone, so
    a 10:00 Berlin interview stays at 10:00 Berlin across a DST change."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    starts_at = BoundedDateTimeField()
    timezone = models.CharField(max_length=64, choices=timezone_choices, default="UTC")
    duration_minutes = models.PositiveIntegerField(
        default=60, validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    kind = models.CharField(
        max_length=10, choices=InterviewKind.choices, default=InterviewKind.VIDEO
    )
    location = models.CharField("place or link", max_length=500, blank=True)
    people = models.CharField("with", max_length=300, blank=True)
    prep_notes = models.TextField(
        "preparation notes",
        blank=True,
        max_length=limits.PREP_NOTES,
        validators=[MaxLengthValidator(limits.PREP_NOTES)],
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} interview {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class ContactQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(application__user=user)


class Contact(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    notes = models.TextField(
        blank=True,
        max_length=limits.CONTACT_NOTES,
        validators=[MaxLengthValidator(limits.CONTACT_NOTES)],
    )
    created_at = models.DateTimeField(default=now)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CalendarFeedTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def live(self):
        return self.filter(revoked_at__isnull=True)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in the user's private iCalendar feed URL. Revoking keeps the row (revoked_at)
    so an old URL keeps answering 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedTokenQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_calendar_token",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user} ({'revoked' if self.revoked_at else 'live'})"


class TrackingSettingsQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class TrackingSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracking_settings"
    )
    stale_after_days = models.PositiveSmallIntegerField(
        "flag cards as stale after (days)",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="A card with no activity for this many days gets a “stale” flag.",
    )

    objects = TrackingSettingsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "tracking settings"

    def __str__(self) -> str:
        return f"Tracking settings of {self.user}"


# --- saved jobs and collections (issue 5; services in tracking/saved/services.py) --------------------


class CollectionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class Collection(models.Model):
    """A named folder of saved jobs ("Berlin", "Dream jobs"). Private to its owner; deleting it
    keeps its jobs saved."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections"
    )
    name = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name"), "id"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="unique_collection_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SavedJobQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class SavedJob(models.Model):
    """A posting the user saved, with a short note; in any number of collections."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_jobs"
    )
    posting = models.ForeignKey("jobs.Posting", on_delete=models.CASCADE, related_name="saves")
    saved_at = models.DateTimeField(default=now)
    note = models.CharField(max_length=280, blank=True)
    collections = models.ManyToManyField(Collection, blank=True, related_name="saved_jobs")

    objects = SavedJobQuerySet.as_manager()

    class Meta:
        ordering = ["-saved_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "posting"], name="unique_saved_job"),
        ]
        indexes = [
            # The saved page, newest first; (user, posting) is covered by the unique constraint.
            models.Index(fields=["user", "-saved_at"], name="savedjob_user_saved_at"),
        ]

    def __str__(self) -> str:
        return f"Saved posting {self.posting_id} of {self.user}"


# --- notifications and saved searches (issue 7; services in tracking/alerts/services.py) -------


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not emailed"  # preference off, or its subject is gone
    FAILED = "failed", "Failed"  # retries exhausted; staff can see last_error


class Notification(models.Model):
    """One thing to tell a user, shown in the app and (by preference) emailed.

    `dedupe_key` is unique: a scanner that runs twice, or two beats at once, creates it once.
    A user's items of one kind found in one scan share one email: the first is the carrier, the
    others point at it (`sent_with`), and the send task claims the carrier with a conditional
    update on `lease_until` so two deliveries of the task never send in parallel."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    dedupe_key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=now)
    read_at = models.DateTimeField(null=True, blank=True)
    sent_with = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="group"
    )
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=200, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The list page and the bell's unread count: one user's, newest first.
            models.Index(fields=["user", "-created_at"], name="notification_user_created"),
            # The sweeper (every minute) re-enqueues carriers still pending after a lost task:
            #   WHERE email_status = 'pending' AND sent_with_id IS NULL AND created_at < …
            models.Index(
                fields=["created_at"],
                condition=models.Q(email_status="pending", sent_with__isnull=True),
                name="notification_pending_carrier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user}: {self.subject}"


class SavedSearchFrequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class SavedSearchQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class SavedSearch(models.Model):
    """A /jobs/ search kept with a name; its digest lists postings published after
    `last_sent_published_at` (the newest one already sent), so none is sent twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=80)
    querystring = models.CharField(max_length=1000, blank=True)
    frequency = models.CharField(
        max_length=10, choices=SavedSearchFrequency.choices, default=SavedSearchFrequency.DAILY
    )
    paused = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_sent_published_at = models.DateTimeField(null=True, blank=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name"), "id"]
        verbose_name_plural = "saved searches"
        indexes = [
            # The digest scanner: active searches, least recently run first.
            models.Index(
                fields=["last_run_at"],
                condition=models.Q(paused=False),
                name="savedsearch_active_run",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("jobs:list") + (f"?{self.querystring}" if self.querystring else "")

    @property
    def summary(self) -> str:
        """The search in words ("“python” · Remote · Germany") instead of its URL query."""
        from jobs.board.search import summarize_querystring

        return summarize_querystring(self.querystring)


class NotificationSettings(models.Model):
    """How many days before a saved job's deadline to warn (a second warning comes on the day)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    expiry_warning_days = models.PositiveSmallIntegerField(
        "warn before a saved job expires (days)",
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
    )

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"Notification settings of {self.user}"


# --- the email outbox (issue 16; the backend and the sender are in config/outbox.py) -------


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"  # retries exhausted; staff can see last_error


class OutboxEmail(models.Model):
    """One email the site sends, stored in the transaction of the change that causes it (the
    EMAIL_BACKEND writes this row), sent afterwards by a task and stamped sent. Redis may lose
    the task; the row stays pending and the beat sweeper enqueues it again. A send claims the
    row with a conditional update of `lease_until`, so two workers never send one at once."""

    created_at = models.DateTimeField(default=now)
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    subject = models.CharField(max_length=998, blank=True)  # for the admin; the message has it
    recipients = models.TextField(blank=True)
    message = models.JSONField()  # the EmailMessage, serialized by config.outbox
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweeper (every minute): WHERE status = 'pending' AND created_at < …
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="pending"),
                name="outboxemail_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipients} ({self.status})"
