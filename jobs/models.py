"""The public board: company groups, companies, locations and postings."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.text import slugify
from django_countries.fields import CountryField

from config import limits
from config.dates import BoundedDateField, BoundedDateTimeField


def _url_prefix(name: str, sample: str) -> str:
    """The URL of `name` up to its last path segment. Lists call get_absolute_url a few times
    per card; reverse() costs about 80 µs on this machine, this a dict lookup."""
    key = (name, sample, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    prefix = _URL_PREFIXES.get(key)
    if prefix is None:
        if name == "jobs:posting":
            url = reverse(name, kwargs={"pk": 1, "slug": "x"})
        else:
            url = reverse(name, args=[sample])
        prefix = _URL_PREFIXES[key] = url.removesuffix(f"{sample}/")
    return prefix


_URL_PREFIXES: dict[tuple, str] = {}


class CompanyGroup(models.Model):
    """Affiliated companies that share an application rule."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(
        blank=True,
        max_length=limits.GROUP_DESCRIPTION,
        validators=[MaxLengthValidator(limits.GROUP_DESCRIPTION)],
    )
    application_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="At most this many applications across the group's companies, "
        "considered in the order applied. Empty means no limit.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def application_rule(self) -> str:
        if not self.application_limit:
            return ""
        n = self.application_limit
        word = {1: "one application", 2: "two applications", 3: "three applications"}.get(
            n, f"{n} applications"
        )
        return f"At most {word} across {self.name} and its affiliates, considered in the order applied."


def company_name_key(name: str) -> str:
    """A company name as compared for copies: case, accents' marks, spaces and punctuation
    ignored ("ACME, Inc." and "acme inc" are the same name)."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", name or "").casefold()
    return "".join(ch for ch in folded if ch.isalnum())[:200]


class CompanyStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class CompanyQuerySet(models.QuerySet):
    def for_member(self, user):
        return self.filter(memberships__user=user).distinct()

    def approved(self):
        return self.filter(status=CompanyStatus.APPROVED)


class Company(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    website = models.URLField(blank=True)
    description = models.TextField(
        blank=True,
        help_text="Sanitized HTML.",
        max_length=limits.COMPANY_DESCRIPTION_HTML,
        validators=[MaxLengthValidator(limits.COMPANY_DESCRIPTION_HTML)],
    )
    group = models.ForeignKey(
        CompanyGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="companies"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CompanyMembership", related_name="companies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the logo (CompanyLogo, its bytes kept apart from this often-joined row) last changed;
    # None: no logo, the pages draw a monogram. It versions the logo's URL (cached for a year).
    logo_updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Moderation (issue 16 point 3): a company an employer creates is pending until staff
    # approve it, and only an approved company is public. Rows made by staff, imports and the
    # demo (and those from before moderation) are approved: the default. A rename of an
    # approved company with live postings waits in `pending_name`; `name` stays public.
    status = models.CharField(
        max_length=10, choices=CompanyStatus.choices, default=CompanyStatus.APPROVED
    )
    pending_name = models.CharField(max_length=200, blank=True)
    # company_name_key(name), for refusing a copy of another company's name.
    name_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_companies",
    )
    rejection_reason = models.TextField(
        blank=True,
        max_length=limits.REJECTION_REASON,
        validators=[MaxLengthValidator(limits.REJECTION_REASON)],
    )

    # Not stored: what company_update tells the employer about their rename ("" when nothing
    # waits for review), read by the view's message.
    review_note: str = ""

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        indexes = [
            # The staff queue: pending companies and pending renames, oldest first (partial).
            models.Index(
                fields=["submitted_at"],
                condition=models.Q(status="pending") | ~models.Q(pending_name=""),
                name="company_review_queue",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200] or "company"
        self.name_key = company_name_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return _url_prefix("jobs:company", "x") + f"{self.slug}/"

    @property
    def is_public(self) -> bool:
        return self.status == CompanyStatus.APPROVED

    @property
    def in_review(self) -> bool:
        return self.status == CompanyStatus.PENDING or bool(self.pending_name)

    @property
    def logo_url(self) -> str:
        if not self.logo_updated_at:
            return ""
        version = int(self.logo_updated_at.timestamp())
        return f"{reverse('jobs:company_logo', args=[self.slug])}?v={version}"


class CompanyLogo(models.Model):
    """A company's logo: a square WebP made by jobs/employer/logos.py from the upload. Kept in
    PostgreSQL, not MEDIA: web processes and workers share no disk."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="logo")
    image = models.BinaryField()
    content_type = models.CharField(max_length=30, default="image/webp")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Logo of {self.company_id}"


class CompanyMembership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        EDITOR = "editor", "Editor"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="unique_company_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) at {self.company}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


class CompanyInvitation(models.Model):
    """An owner's invitation of an email address to a company (issue 16 point 5): the person
    joins only by accepting it, signed in as that address. The email's link carries the random
    `token`; the invitation ends at `expires_at`."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()  # lower-cased
    role = models.CharField(
        max_length=10,
        choices=CompanyMembership.Role.choices,
        default=CompanyMembership.Role.EDITOR,
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open invitation per address and company; inviting again renews it.
            models.UniqueConstraint(
                fields=["company", "email"],
                condition=models.Q(status="pending"),
                name="unique_pending_company_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.company} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == InvitationStatus.PENDING and self.expires_at > timezone.now()


class Location(models.Model):
    city = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    country = CountryField()

    class Meta:
        ordering = ["country", "city"]
        constraints = [
            models.UniqueConstraint(fields=["city", "region", "country"], name="unique_location")
        ]

    def __str__(self) -> str:
        parts = [self.city, self.region, self.country.name]
        return ", ".join(p for p in parts if p)


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", "Full-time"
    PART_TIME = "part_time", "Part-time"
    CONTRACT = "contract", "Contract"
    INTERNSHIP = "internship", "Internship"
    TEMPORARY = "temporary", "Temporary"


class Level(models.TextChoices):
    INTERNSHIP = "internship", "Internship"
    ENTRY = "entry", "Entry level"
    MID = "mid", "Mid level"
    SENIOR = "senior", "Senior"
    LEAD = "lead", "Lead / principal"
    MANAGER = "manager", "Manager"
    EXECUTIVE = "executive", "Executive"


class Workplace(models.TextChoices):
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class SalaryPeriod(models.TextChoices):
    HOUR = "hour", "per hour"
    DAY = "day", "per day"
    WEEK = "week", "per week"
    MONTH = "month", "per month"
    YEAR = "year", "per year"


class ExchangeRate(models.Model):
    """A reference rate: what one unit of `currency` is worth in EUR, as of a date. Staff edit it
    in the admin or load a CSV (`manage.py load_rates`); jobs/data/exchange_rates.csv is the
    default. Changing a rate recomputes the postings' yearly EUR salaries (jobs/salaries.py)."""

    currency = models.CharField(max_length=3, unique=True, help_text="ISO 4217 code, e.g. PLN.")
    rate_to_eur = models.DecimalField(
        max_digits=20, decimal_places=10, help_text="The value of one unit in EUR."
    )
    as_of = models.DateField()

    class Meta:
        ordering = ["currency"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rate_to_eur__gt=0), name="rate_positive"),
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$"), name="rate_currency_code"
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate_to_eur} EUR ({self.as_of})"


class ReviewPolicy(models.TextChoices):
    ROLLING = "rolling", "Rolling: applications are reviewed as they arrive"
    AFTER_DEADLINE = "after_deadline", "All applications are reviewed after the deadline"


class PostingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    CLOSED = "closed", "Closed"
    EXPIRED = "expired", "Expired"


class PostingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PostingStatus.PUBLISHED)

    def visible(self):
        """Reachable by URL: published, or ended (kept for the people who saved or track it)."""
        return self.filter(
            status__in=[PostingStatus.PUBLISHED, PostingStatus.CLOSED, PostingStatus.EXPIRED]
        )

    def for_member(self, user):
        return self.filter(company__memberships__user=user)


class Posting(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="postings")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, blank=True)
    team = models.CharField(max_length=200, blank=True)
    description = models.TextField(
        help_text="Sanitized HTML.",
        max_length=limits.POSTING_DESCRIPTION_HTML,
        validators=[MaxLengthValidator(limits.POSTING_DESCRIPTION_HTML)],
    )
    employment_type = models.CharField(
        max_length=20, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    workplace = models.CharField(max_length=10, choices=Workplace.choices, default=Workplace.ONSITE)
    locations = models.ManyToManyField(Location, blank=True, related_name="postings")
    # Denormalized from locations for the combined (country, workplace, text) GIN index.
    countries = ArrayField(models.CharField(max_length=2), default=list, blank=True, editable=False)
    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    salary_currency = models.CharField(max_length=3, blank=True, default="")
    # The range as a yearly amount in EUR, for comparing salaries across currencies and periods.
    # Computed by PostgreSQL (trigger of migration 0014) from ExchangeRate on every insert or
    # update of the salary columns, so saves, imports (bulk_create) and syncs all keep it; None
    # when the currency has no rate.
    salary_eur_min = models.BigIntegerField(null=True, blank=True, editable=False)
    salary_eur_max = models.BigIntegerField(null=True, blank=True, editable=False)
    salary_period = models.CharField(
        max_length=10, choices=SalaryPeriod.choices, default=SalaryPeriod.YEAR
    )
    apply_url = models.URLField(max_length=500, blank=True)
    apply_email = models.EmailField(blank=True)
    review_policy = models.CharField(
        max_length=20, choices=ReviewPolicy.choices, default=ReviewPolicy.ROLLING
    )
    application_deadline = BoundedDateField(null=True, blank=True)

    status = models.CharField(
        max_length=10, choices=PostingStatus.choices, default=PostingStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_postings",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    expires_at = BoundedDateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(
        blank=True,
        max_length=limits.REJECTION_REASON,
        validators=[MaxLengthValidator(limits.REJECTION_REASON)],
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_postings",
    )

    # Imports are idempotent on (source, external_id).
    source = models.CharField(max_length=50, blank=True, default="")
    external_id = models.CharField(max_length=200, blank=True, default="")

    search_vector = SearchVectorField(null=True, editable=False)

    # Structured summary (jobs/summary), cached; recomputed when the engine version changes.
    summary = models.JSONField(null=True, blank=True, editable=False)
    summary_version = models.PositiveIntegerField(default=0, editable=False)

    objects = PostingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_posting_source_external_id",
            ),
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True)
                | models.Q(salary_min__lte=models.F("salary_max")),
                name="posting_salary_min_le_max",
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="posting_search_gin"),
            # "Did you mean" and typo-tolerant title matches (pg_trgm).
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="posting_title_trgm"),
            # Newest-first listing of the board and the expiry scanner's range scan.
            models.Index(fields=["status", "-published_at"], name="posting_status_published"),
            models.Index(fields=["status", "expires_at"], name="posting_status_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.company}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200] or "job"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return _url_prefix("jobs:posting", "1-x") + f"{self.pk}-{self.slug}/"

    @property
    def is_open(self) -> bool:
        if self.status != PostingStatus.PUBLISHED:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

    @property
    def has_ended(self) -> bool:
        return self.status in (PostingStatus.CLOSED, PostingStatus.EXPIRED)


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    """A staff upload of a postings file, imported in the background (`jobs/imports/services.py`).

    The file's bytes are kept in the row, not in MEDIA: web and worker may be separate machines
    (docker-compose runs them as separate containers) and PostgreSQL is the one store both see.
    `status` goes queued → running → done, or failed when the task raised or gave up; "done"
    says the import ran, `accepted` whether the file was imported or rejected by its rows.
    """

    ACTIVE = (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    format = models.CharField(max_length=20, blank=True)
    rows = models.PositiveIntegerField(default=0)
    data = models.BinaryField()
    source = models.CharField(max_length=50)
    skip_invalid = models.BooleanField(default=False)
    dry_run = models.BooleanField(default=False)

    status = models.CharField(
        max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    enqueued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    problems = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    report = models.JSONField(default=dict, blank=True)  # ImportReport as a dict
    failure = models.TextField(blank=True)
    # When the file's bytes were dropped (`import_jobs_purge_files`); the report stays.
    file_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The recovery scan (`import_jobs_recover`): unfinished jobs by when they were last
            # enqueued; partial, so it holds only the handful of unfinished jobs.
            models.Index(
                fields=["enqueued_at"],
                condition=models.Q(status__in=["queued", "running"]),
                name="importjob_active_created",
            ),
        ]

    def __str__(self) -> str:
        return f"import {self.pk} of {self.filename} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("staff_import:job", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


# --- live sources (jobs/sources/: connectors, the sync, docs/sources.md) -------------------------
# A source is a company's applicant-tracking board or feed that keeps postings current.


class SourceKind(models.TextChoices):
    GREENHOUSE = "greenhouse", "Greenhouse job board"
    LEVER = "lever", "Lever postings"
    ASHBY = "ashby", "Ashby job board"
    WORKABLE = "workable", "Workable"
    SMARTRECRUITERS = "smartrecruiters", "SmartRecruiters"
    RECRUITEE = "recruitee", "Recruitee"
    PERSONIO = "personio", "Personio XML feed"
    JSONLD = "jsonld", "schema.org JobPosting pages (sitemap or index page)"
    FEED = "feed", "RSS, Atom or JSON Feed"


class SourceTrust(models.TextChoices):
    PUBLISH = "publish", "Publish new postings directly"
    REVIEW = "review", "Send new postings to the moderation queue"


class SourceStatus(models.TextChoices):
    NEW = "new", "Not run yet"
    OK = "ok", "OK"
    NOT_MODIFIED = "not_modified", "OK (not modified)"
    HELD = "held", "Held: closing paused by the safety threshold"
    DEGRADED = "degraded", "Degraded"


class Source(models.Model):
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    company = models.ForeignKey("jobs.Company", on_delete=models.CASCADE, related_name="sources")
    endpoint = models.CharField(
        max_length=500,
        help_text="The board's full API URL, or its token (board name) from which the public "
        "URL is derived.",
    )
    url = models.URLField(max_length=500, editable=False, help_text="The URL that is fetched.")
    schedule_minutes = models.PositiveIntegerField(
        default=60, help_text="Minutes between two syncs (a random jitter is added)."
    )
    trust = models.CharField(max_length=10, choices=SourceTrust.choices, default=SourceTrust.REVIEW)
    default_country = CountryField(
        blank=True,
        help_text="Country of locations the board gives without one (e.g. Personio offices).",
    )
    paused = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Health, written by the sync.
    status = models.CharField(max_length=15, choices=SourceStatus.choices, default=SourceStatus.NEW)
    degraded = models.BooleanField(default=False)
    last_error = models.TextField(blank=True)
    held_reason = models.TextField(blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_counts = models.JSONField(default=dict, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    live_jobs = models.PositiveIntegerField(default=0, help_text="Jobs listed at the last sync.")
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    # One-shot permission (staff) to close more than the safety threshold allows.
    allow_mass_close = models.BooleanField(default=False)

    # Scheduling: beat moves next_run_at forward and enqueues; the task claims until claimed_until.
    next_run_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["company__name", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "url"], name="unique_source_kind_url"),
        ]
        indexes = [
            # The beat scanner's range scan (sources_run_due): due, unpaused sources only.
            models.Index(
                fields=["next_run_at"],
                condition=models.Q(paused=False),
                name="source_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.company}"

    def get_absolute_url(self) -> str:
        return reverse("sources:edit", args=[self.pk])


class SourceRun(models.Model):
    """One sync of a source: what it found and did (the history shown to staff)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=15, choices=SourceStatus.choices)
    listed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "-started_at"], name="sourcerun_source_started")]

    def __str__(self) -> str:
        return f"run of {self.source_id} at {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class PostingSource(models.Model):
    """A posting as listed by one source. A posting may be listed by several (one job reached
    through its Greenhouse board and its JSON-LD page is one posting with two links)."""

    posting = models.ForeignKey(
        "jobs.Posting", on_delete=models.CASCADE, related_name="source_links"
    )
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="links")
    external_id = models.CharField(max_length=300)
    url = models.URLField(max_length=500, blank=True)
    # sha256 of the mapped fields: an unchanged job is recognised without touching the posting.
    content_hash = models.CharField(max_length=64)
    # The vendor's own version stamp (updated time) when it has one; lets connectors skip detail
    # requests for jobs they already have.
    version = models.CharField(max_length=100, blank=True)
    first_seen_at = models.DateTimeField()
    gone_at = models.DateTimeField(null=True, blank=True)
    # The job's validThrough as this source gives it (checked: jobs/sources/mapping.py,
    # valid_until); None when it gives none, and the posting then lives by the listing lifetime
    # that syncs extend. Kept here so a sync answered "304 Not Modified" knows which is which.
    valid_through = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="unique_postingsource_external_id"
            )
        ]
        indexes = [models.Index(fields=["posting"], name="postingsource_posting")]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.external_id} → {self.posting_id}"
