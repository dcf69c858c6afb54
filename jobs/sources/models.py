"""Live sources (issue 19): a company's applicant-tracking board or feed that keeps postings current.

Kept in jobs/sources/ beside the connectors and the sync that own them; jobs/models.py imports this
module (one line at its end) so Django registers the models in the `jobs` app and its migrations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField


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

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="unique_postingsource_external_id"
            )
        ]
        indexes = [models.Index(fields=["posting"], name="postingsource_posting")]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.external_id} → {self.posting_id}"
