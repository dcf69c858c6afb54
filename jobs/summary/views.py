"""Add a skill from a posting's match panel to one's profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from config.http import AuthedHttpRequest, safe_next
from config.params import parse_int
from jobs.models import Posting
from jobs.summary.forms import SkillAddForm
from jobs.summary.services import profile_skills_add
from jobs.summary.web import summary_context


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@require_POST
@login_required
def skill_add(request: AuthedHttpRequest):
    posting_id = parse_int(request.POST.get("posting"))
    posting = (
        Posting.objects.visible().select_related("company__group").filter(pk=posting_id).first()
        if posting_id is not None
        else None
    )
    status, error = "", ""
    # One skill, or the ticked boxes of the "add the skills you have" form.
    values = request.POST.getlist("skill")
    skills: list[str] = []
    for value in values:
        form = SkillAddForm({"skill": value})
        if not form.is_valid():
            error = str(form.errors["skill"][0])
            break
        skills.append(form.cleaned_data["skill"])
    if not values:
        error = "Tick the skills you have."
    if not error:
        try:
            added, already = profile_skills_add(user=request.user, skills=skills)
        except ValueError as exc:
            error = str(exc)
        else:
            status = " ".join(
                part
                for part in (
                    f"Added {_names(added)} to your profile." if added else "",
                    f"{_names(already)} {'is' if len(already) == 1 else 'are'} already in your "
                    "profile."
                    if already
                    else "",
                )
                if part
            )
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
    target = safe_next(
        request, posting.get_absolute_url() if posting else reverse("accounts:profile")
    )
    if request.htmx:  # no panel to swap (a preview, say): reload the page instead
        return HttpResponseClientRedirect(target)
    return redirect(target)
