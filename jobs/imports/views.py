"""Staff upload page for postings files (CSV, JSON, JSON-LD): /staff/import/, and the status page
of each upload: /staff/imports/<id>/.

The upload answers a file that cannot be imported at all (size, encoding, format, header, row
count) at once; a file that passes becomes an `ImportJob` imported in the background
(jobs/imports/services.py), and the browser goes to its status page, which htmx polls every
POLL_SECONDS while the job is queued or running (without JavaScript the page refreshes itself).
A failed job whose file is still stored can be queued again from its status page (a POST to
/staff/imports/<id>/retry/).
The upload page answers non-staff with 403 as it always has; the status page and the retry, which
name an object, answer them with 404 like the review pages."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.http import AuthedHttpRequest
from jobs.common import staff_required
from jobs.imports.importers import (
    DEFAULT_SOURCE,
    MAX_BYTES,
    MAX_ROWS,
    FileRejected,
    too_big_message,
)
from jobs.imports.services import (
    ImportJobNotRetryable,
    import_job_create,
    import_job_retry,
    import_jobs_recent,
)
from jobs.models import ImportJob, Posting

SHOW_POSTINGS = 20
SHOW_ISSUES = 500  # rows of the problems table; the rest are counted
POLL_SECONDS = 2


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text=f"CSV, JSON or schema.org JobPosting JSON-LD; UTF-8; up to "
        f"{MAX_BYTES // 1024 // 1024} MB and {MAX_ROWS:,} postings."
    )
    source = forms.CharField(
        max_length=50,
        initial=DEFAULT_SOURCE,
        validators=[
            RegexValidator(r"^[\w.-]+$", "Use letters, digits, dots, dashes and underscores.")
        ],
        help_text="Name of the feed this file comes from. Importing again with the same source "
        "updates postings with the same external_id instead of duplicating them.",
    )
    skip_invalid = forms.BooleanField(
        required=False,
        label="Skip invalid rows",
        help_text="Import the valid rows and list the others, instead of rejecting the whole file.",
    )
    dry_run = forms.BooleanField(
        required=False,
        label="Dry run",
        help_text="Check the file and show the report; save nothing.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(too_big_message(upload.size))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def staff_import(request: AuthedHttpRequest):
    if not request.user.is_staff:
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(
                by=request.user,
                data=upload.read(),
                filename=upload.name,
                source=form.cleaned_data["source"],
                skip_invalid=form.cleaned_data["skip_invalid"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except FileRejected as exc:
            form.add_error("file", f"{upload.name}: {exc}")
        else:
            return redirect(job)
    return render(
        request,
        "jobs/imports/import.html",
        {"form": form, "jobs": import_jobs_recent()},
        status=400 if form.errors else 200,
    )


@staff_required
@require_GET
def import_job_detail(request: AuthedHttpRequest, pk: int):
    job = get_object_or_404(ImportJob.objects.select_related("created_by").defer("data"), pk=pk)
    report = job.report or {}
    imported = []
    shown_ids = report.get("posting_ids", [])[:SHOW_POSTINGS]
    if job.accepted and shown_ids:
        by_id = Posting.objects.select_related("company").in_bulk(shown_ids)
        imported = [by_id[pk] for pk in shown_ids if pk in by_id]
    issues = [
        *({**e, "kind": "error"} for e in report.get("errors", [])),
        *(
            {"row": s["row"], "column": r["column"], "message": r["message"], "kind": "skipped"}
            for s in report.get("skipped", [])
            for r in s["reasons"]
        ),
    ]
    context = {
        "job": job,
        "report": report,
        "imported": imported,
        "issues": issues[:SHOW_ISSUES],
        "more_issues": max(len(issues) - SHOW_ISSUES, 0),
        "poll_seconds": POLL_SECONDS,
    }
    template = "jobs/imports/import_job.html"
    response = render(request, f"{template}#status" if request.htmx else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@staff_required
@require_POST
def import_job_retry_view(request: AuthedHttpRequest, pk: int):
    try:
        job = import_job_retry(job_id=pk, by=request.user)
    except ImportJob.DoesNotExist:
        raise Http404 from None
    except ImportJobNotRetryable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The import of {job.filename} is queued again.")
    return redirect("staff_import:job", pk=pk)
