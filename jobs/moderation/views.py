"""Staff review queue under /staff/review/: submitted postings and companies in review (new
companies and renames, issue 16 point 3), oldest first; approve, or reject with a reason.
Anonymous visitors are sent to log in; signed-in non-staff get a 404."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from config.http import AuthedHttpRequest
from jobs.board.views import posting_page_context
from jobs.common import staff_required
from jobs.employer.services import JobsError
from jobs.models import Posting, PostingStatus
from jobs.moderation import services
from jobs.moderation.forms import RejectForm
from jobs.moderation.selectors import companies_to_review
from jobs.sources.selectors import listed_at_subquery


def _queue():
    return (
        Posting.objects.filter(status=PostingStatus.SUBMITTED)
        .select_related("company__group", "created_by")
        .prefetch_related("locations")
        .order_by("submitted_at", "id")
    )


@staff_required
@require_GET
def review_queue(request: AuthedHttpRequest):
    context = {
        "postings": _queue(),
        "companies": companies_to_review(),
        "company_reject_form": RejectForm(),
    }
    return render(request, "jobs/moderation/review_queue.html", context)


def _review_page(
    request: AuthedHttpRequest, posting: Posting, reject_form: RejectForm, status: int = 200
):
    # personal=False: the reviewer's own skill match is not the job's business.
    context = posting_page_context(
        posting, list(posting.locations.all()), user=request.user, personal=False
    )
    context["ended"] = False
    return render(
        request,
        "jobs/moderation/review_detail.html",
        {**context, "reject_form": reject_form},
        status=status,
    )


@staff_required
@require_GET
def review_detail(request: AuthedHttpRequest, pk: int):
    # With the sources that list it (a synced job's boards), in the same query.
    posting = get_object_or_404(_queue().annotate(listed_at_rows=listed_at_subquery()), pk=pk)
    return _review_page(request, posting, RejectForm())


@staff_required
@require_POST
def review_approve(request: AuthedHttpRequest, pk: int):
    posting = get_object_or_404(Posting.objects.select_related("company"), pk=pk)
    try:
        services.posting_approve(posting=posting, by=request.user)
    except JobsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{posting.title}” is published; the employer is emailed.")
    return redirect("jobs_staff:review_queue")


@staff_required
@require_POST
def review_reject(request: AuthedHttpRequest, pk: int):
    posting = get_object_or_404(Posting.objects.select_related("company"), pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        if posting.status != PostingStatus.SUBMITTED:
            messages.error(request, "This posting was already reviewed.")
            return redirect("jobs_staff:review_queue")
        return _review_page(request, posting, form, status=400)
    try:
        services.posting_reject(
            posting=posting, by=request.user, reason=form.cleaned_data["reason"]
        )
    except JobsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{posting.title}” is rejected; the employer is emailed.")
    return redirect("jobs_staff:review_queue")


# --- Companies (issue 16 point 3) ------------------------------------------------------------


@staff_required
@require_POST
def company_approve(request: AuthedHttpRequest, pk: int):
    company = get_object_or_404(companies_to_review(), pk=pk)
    try:
        services.company_approve(company=company, by=request.user)
    except JobsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{company.name}” is approved; its owners are emailed.")
    return redirect("jobs_staff:review_queue")


@staff_required
@require_POST
def company_reject(request: AuthedHttpRequest, pk: int):
    company = get_object_or_404(companies_to_review(), pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"“{company.name}”: {form.errors['reason'][0]}")
        return redirect("jobs_staff:review_queue")
    try:
        services.company_reject(
            company=company, by=request.user, reason=form.cleaned_data["reason"]
        )
    except JobsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{company.name}” is rejected; its owners are emailed.")
    return redirect("jobs_staff:review_queue")
