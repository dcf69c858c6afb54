"""The maximum length of every free-text field a user, an employer or staff types into.

One source of truth: the models (`max_length`, and a `MaxLengthValidator` on text fields,
where `max_length` alone would only reach the forms), the forms, the importer and the
documentation (the table in docs/quality.md, "Issue 16: outside review") all read these
constants. `tests/config/test_limits.py` checks that every such model field is listed in
`FIELDS` with the limit the model enforces, that the documentation's table matches, and that
every form answers max + 1 characters with an error on the field and stores nothing.

Why limits: Markdown and HTML are parsed on save (and sanitized again when shown); a bounded
input bounds that work (bench/markdown.py measures the worst inputs at these limits), the
database rows and the pages.

`typed` is what a person may type; `stored` is what the column holds, when it holds
something else: descriptions are typed as Markdown and stored as sanitized HTML, which is
longer than its source (a link's `rel` attribute, entities). A form whose rendered HTML would
exceed `stored` answers with an error on the field. HTML input (pasted, imported, or the stored
description coming back to the form on a later edit) is only sanitized, not rendered, and may
be as long as `stored`.
"""

from __future__ import annotations

from dataclasses import dataclass

# Text typed as Markdown or HTML, stored as sanitized HTML.
POSTING_DESCRIPTION = 30_000  # about 4,500 words; was 50,000 (bench/markdown.py: <= 50 ms)
POSTING_DESCRIPTION_HTML = 120_000
COMPANY_DESCRIPTION = 10_000
COMPANY_DESCRIPTION_HTML = 40_000
GROUP_DESCRIPTION = 10_000  # staff only, in the admin

# Plain text.
NOTE_BODY = 20_000  # Markdown, rendered on save into Note.body_html
POSTING_TEXT = 50_000  # a job ad pasted into one's own application
PREP_NOTES = 10_000
CONTACT_NOTES = 5_000
REJECTION_REASON = 2_000

# Form fields that are not a column of their own.
LOCATIONS_TEXT = 6_000  # a posting's locations, one a line (at most 20 lines)


@dataclass(frozen=True)
class FieldLimit:
    field: str  # "app_label.Model.field"
    typed: int  # characters a form (or an import) accepts
    stored: int | None = None  # characters the column accepts, when not `typed`
    what: str = ""

    @property
    def max_stored(self) -> int:
        return self.stored or self.typed


# Every model field a person types into. Fields left out on purpose are in EXEMPT.
FIELDS: tuple[FieldLimit, ...] = (
    # accounts
    FieldLimit("accounts.Profile.display_name", 100),
    FieldLimit("accounts.Profile.headline", 200),
    FieldLimit("accounts.ApiToken.name", 60),
    # jobs: companies
    FieldLimit("jobs.CompanyGroup.name", 200),
    FieldLimit("jobs.CompanyGroup.description", GROUP_DESCRIPTION, what="HTML, staff (admin)"),
    FieldLimit("jobs.Company.name", 200),
    FieldLimit("jobs.Company.website", 200),
    FieldLimit("jobs.Company.pending_name", 200, what="a rename waiting for staff review"),
    FieldLimit("jobs.Company.rejection_reason", REJECTION_REASON, what="staff"),
    FieldLimit("jobs.CompanyInvitation.email", 254),
    FieldLimit(
        "jobs.Company.description",
        COMPANY_DESCRIPTION,
        COMPANY_DESCRIPTION_HTML,
        "Markdown; HTML input up to the stored length",
    ),
    FieldLimit("jobs.Location.city", 120),
    FieldLimit("jobs.Location.region", 120),
    # jobs: postings
    FieldLimit("jobs.Posting.title", 200),
    FieldLimit("jobs.Posting.team", 200),
    FieldLimit(
        "jobs.Posting.description",
        POSTING_DESCRIPTION,
        POSTING_DESCRIPTION_HTML,
        "Markdown; HTML input (and imports) up to the stored length",
    ),
    FieldLimit("jobs.Posting.salary_currency", 3),
    FieldLimit("jobs.Posting.apply_url", 500),
    FieldLimit("jobs.Posting.apply_email", 254),
    FieldLimit("jobs.Posting.rejection_reason", REJECTION_REASON, what="staff"),
    FieldLimit("jobs.Posting.external_id", 200, what="importer"),
    # jobs: live sources
    FieldLimit("jobs.Source.endpoint", 500, what="staff / employer: a board's URL or token"),
    # tracking: applications
    FieldLimit("tracking.Stage.name", 60),
    FieldLimit("tracking.Application.company_name", 200),
    FieldLimit("tracking.Application.title", 200),
    FieldLimit("tracking.Application.url", 500),
    FieldLimit("tracking.Application.location", 200),
    FieldLimit("tracking.Application.posting_text", POSTING_TEXT),
    FieldLimit("tracking.Application.source", 100),
    FieldLimit("tracking.Application.salary_expectation", 100),
    FieldLimit("tracking.Application.resume_version", 100),
    FieldLimit("tracking.Application.cover_letter_version", 100),
    FieldLimit("tracking.Application.next_action", 200),
    FieldLimit("tracking.Note.body", NOTE_BODY, what="Markdown"),
    FieldLimit("tracking.Reminder.message", 300),
    FieldLimit("tracking.Interview.location", 500),
    FieldLimit("tracking.Interview.people", 300),
    FieldLimit("tracking.Interview.prep_notes", PREP_NOTES),
    FieldLimit("tracking.Contact.name", 200),
    FieldLimit("tracking.Contact.role", 200),
    FieldLimit("tracking.Contact.email", 254),
    FieldLimit("tracking.Contact.notes", CONTACT_NOTES),
    # tracking: saved jobs, searches
    FieldLimit("tracking.Collection.name", 60),
    FieldLimit("tracking.SavedJob.note", 280),
    FieldLimit("tracking.SavedSearch.name", 80),
    FieldLimit("tracking.SavedSearch.querystring", 1000),
)

# Text fields nobody types into, with the reason.
EXEMPT: dict[str, str] = {
    "tracking.OutboxEmail.subject": "an email the site writes (the outbox)",
    "tracking.OutboxEmail.recipients": "an email the site writes (the outbox)",
    "tracking.OutboxEmail.last_error": "the mail server's error, written by the sender",
    "jobs.CompanyLogo.content_type": "set by the site (always image/webp)",
    "accounts.Profile.salary_currency": "a 3-letter code chosen from a list (the profile form)",
    "jobs.ExchangeRate.currency": "a 3-letter code (a check constraint; staff or load_rates)",
    "jobs.Source.url": "derived from the endpoint",
    "jobs.Source.last_error": "written by the sync (the fetch or parse error)",
    "jobs.Source.held_reason": "written by the sync (the safety threshold's reason)",
    "jobs.Source.etag": "a server's ETag header",
    "jobs.Source.last_modified": "a server's Last-Modified header",
    "jobs.SourceRun.error": "written by the sync",
    "jobs.PostingSource.external_id": "the source's job id",
    "jobs.PostingSource.url": "the source's job URL",
    "jobs.PostingSource.content_hash": "a hash",
    "jobs.PostingSource.version": "the source's updated time or version",
    "accounts.ApiToken.prefix": "generated: the token's first characters",
    "accounts.ApiToken.token_hash": "a hash",
    "tracking.Application.canonical_url": "filled by the clipper from a page, cut to the column (jobs.clip)",
    "tracking.Application.salary": "filled by the clipper from a page, cut to the column (jobs.clip)",
    "tracking.Application.workplace": "filled by the clipper from a page, cut to the column (jobs.clip)",
    "tracking.Application.employment_type": "filled by the clipper from a page, cut to the column (jobs.clip)",
    "accounts.User.email": "allauth's sign-up and email forms (254, RFC 5321)",
    "accounts.User.username": "not used: the email is the login",
    "accounts.User.first_name": "not shown in any form",
    "accounts.User.last_name": "not shown in any form",
    "accounts.User.password": "a hash",
    "jobs.Company.slug": "made from the name",
    "jobs.Company.name_key": "made from the name",
    "jobs.CompanyInvitation.token": "made by the site",
    "jobs.Posting.slug": "made from the title",
    "jobs.Posting.source": "set by the importer from the staff's choice",
    "jobs.ImportJob.filename": "the upload's name, cut to fit",
    "jobs.ImportJob.source": "a staff choice",
    "jobs.ImportJob.format": "detected from the file",
    "jobs.ImportJob.summary": "written by the import",
    "jobs.ImportJob.failure": "written by the import",
    "tracking.Application.document": "a file name made by the site",
    "tracking.Note.body_html": "rendered from the body",
    "tracking.CalendarFeedToken.token": "made by the site",
    "tracking.Notification.kind": "made by the site",
    "tracking.Notification.dedupe_key": "made by the site",
    "tracking.Notification.subject": "made by the site",
    "tracking.Notification.url": "made by the site",
    "tracking.Notification.last_error": "written by the mail task",
    "tracking.Notification.message_id": "made by the site",
}

_BY_FIELD = {limit.field: limit for limit in FIELDS}


def limit_for(field: str) -> FieldLimit:
    """The limit of "app_label.Model.field"."""
    return _BY_FIELD[field]


def markdown_table() -> str:
    """The table of docs/quality.md, made from FIELDS (a test checks the two agree)."""
    lines = [
        "| field | typed (characters) | stored (characters) | note |",
        "| --- | ---: | ---: | --- |",
    ]
    for limit in FIELDS:
        stored = f"{limit.stored:,}" if limit.stored else "same"
        lines.append(f"| `{limit.field}` | {limit.typed:,} | {stored} | {limit.what} |")
    return "\n".join(lines)
