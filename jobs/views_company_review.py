"""Staff review of companies (issue 16 point 3), beside the postings in /staff/review/: new
companies and renames, approve, or reject with a reason. Non-staff get a 404."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from jobs import company_moderation as moderation
from jobs.forms import RejectForm
from jobs.services import JobsError
from jobs.views_staff import staff_required


@staff_required
@require_POST
def company_approve(request, pk: int):
    company = get_object_or_404(moderation.companies_to_review(), pk=pk)
    try:
        moderation.company_approve(company=company, by=request.user)
    except JobsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{company.name}” is approved; its owners are emailed.")
    return redirect("jobs_staff:review_queue")


@staff_required
@require_POST
def company_reject(request, pk: int):
    company = get_object_or_404(moderation.companies_to_review(), pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"“{company.name}”: {form.errors['reason'][0]}")
        return redirect("jobs_staff:review_queue")
    try:
        moderation.company_reject(
            company=company, by=request.user, reason=form.cleaned_data["reason"]
        )
    except JobsError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{company.name}” is rejected; its owners are emailed.")
    return redirect("jobs_staff:review_queue")
