"""Staff review queue under /staff/review/: submitted postings oldest first; approve, or reject
with a reason. Anonymous visitors are sent to log in; signed-in non-staff get a 404."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from jobs import services
from jobs.forms import RejectForm
from jobs.models import Posting, PostingStatus
from jobs.views import posting_page_context


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _queue():
    return (
        Posting.objects.filter(status=PostingStatus.SUBMITTED)
        .select_related("company__group", "created_by")
        .prefetch_related("locations")
        .order_by("submitted_at", "id")
    )


@staff_required
@require_GET
def review_queue(request):
    from jobs.company_moderation import companies_to_review

    context = {
        "postings": _queue(),
        "companies": companies_to_review(),
        "company_reject_form": RejectForm(),
    }
    return render(request, "jobs/staff/review_queue.html", context)


def _review_page(request, posting: Posting, reject_form: RejectForm, status: int = 200):
    context = posting_page_context(posting, list(posting.locations.all()))
    context["ended"] = False
    return render(
        request,
        "jobs/staff/review_detail.html",
        {**context, "reject_form": reject_form},
        status=status,
    )


@staff_required
@require_GET
def review_detail(request, pk: int):
    posting = get_object_or_404(_queue(), pk=pk)
    return _review_page(request, posting, RejectForm())


@staff_required
@require_POST
def review_approve(request, pk: int):
    posting = get_object_or_404(Posting.objects.select_related("company"), pk=pk)
    try:
        services.posting_approve(posting=posting, by=request.user)
    except services.JobsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{posting.title}” is published; the employer is emailed.")
    return redirect("jobs_staff:review_queue")


@staff_required
@require_POST
def review_reject(request, pk: int):
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
    except services.JobsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{posting.title}” is rejected; the employer is emailed.")
    return redirect("jobs_staff:review_queue")
