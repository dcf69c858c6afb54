"""Add a skill from a posting's match panel to one's profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from config.http import AuthedHttpRequest
from jobs.models import Posting
from jobs.summary.forms import SkillAddForm
from jobs.summary.services import profile_skill_add
from jobs.summary.web import summary_context


@require_POST
@login_required
def skill_add(request: AuthedHttpRequest):
    form = SkillAddForm(request.POST)
    posting_id = request.POST.get("posting", "")
    posting = (
        Posting.objects.visible().select_related("company__group").filter(pk=posting_id).first()
        if posting_id.isdigit()
        else None
    )
    status, error = "", ""
    if form.is_valid():
        try:
            name, added = profile_skill_add(user=request.user, skill=form.cleaned_data["skill"])
        except ValueError as exc:
            error = str(exc)
        else:
            status = (
                f"Added {name} to your profile." if added else f"{name} is already in your profile."
            )
    else:
        error = str(form.errors["skill"][0])
    if request.htmx and posting is not None:
        request.user.refresh_from_db()
        context = {
            **summary_context(posting=posting, user=request.user),
            "status": status,
            "next_url": posting.get_absolute_url(),
            "error": error,
        }
        # 200 even on an error: htmx swaps only successful responses, and the panel says what
        # went wrong.
        return render(request, "jobs/summary/_summary.html#match", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, status)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = posting.get_absolute_url() if posting else reverse("accounts:profile")
    if request.htmx:  # no panel to swap (a preview, say): reload the page instead
        return HttpResponseClientRedirect(target)
    return redirect(target)
