"""Staff upload page for postings files (CSV, JSON, JSON-LD): /staff/import/."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.validators import RegexValidator
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from jobs.importers import DEFAULT_SOURCE, MAX_BYTES, MAX_ROWS, import_postings
from jobs.models import Posting

SHOW_POSTINGS = 20


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
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
            )
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def staff_import(request):
    if not request.user.is_staff:
        raise PermissionDenied
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = import_postings(
                upload.read(),
                filename=upload.name,
                source=form.cleaned_data["source"],
                skip_invalid=form.cleaned_data["skip_invalid"],
                dry_run=form.cleaned_data["dry_run"],
            )
    else:
        form = ImportForm()
    imported = []
    if report is not None and report.ok and report.posting_ids:
        shown = report.posting_ids[:SHOW_POSTINGS]
        by_id = Posting.objects.select_related("company").in_bulk(shown)
        imported = [by_id[pk] for pk in shown if pk in by_id]
    return render(
        request,
        "jobs/staff/import.html",
        {"form": form, "report": report, "imported": imported},
    )
