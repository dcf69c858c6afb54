"""The paste page and the bookmarklet's window. Every step works without JavaScript; the
bookmarklet window's script only fills the paste form with the page it was opened from."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from config.http import AuthedHttpRequest
from jobs.clip.extract import canonical_url, from_text_or_html
from jobs.clip.forms import KeepForm, PasteForm
from jobs.clip.services import clip_keep
from jobs.clip.types import Clip
from tracking.models import Stage


def _stages(user: User) -> list[Stage]:
    """The stages to offer (a read: they were created at sign-up)."""
    from tracking.applications.selectors import stages_for

    return [s for s in stages_for(user=user) if not s.archived]


def _initial(found: Clip) -> dict:
    return {
        "url": found.url,
        "title": found.title,
        "company": found.company,
        "location": found.location,
        "workplace": found.workplace,
        "employment_type": found.employment_type,
        "salary": found.salary,
        "valid_through": found.valid_through.date() if found.valid_through else None,
        "description": found.description_text,
        "canonical_url": found.canonical_url,
        "apply_url": found.apply_url,
    }


def _clip_from(data: dict) -> Clip:
    closes = data.get("valid_through")
    return Clip(
        url=data.get("url") or "",
        canonical_url=canonical_url(data.get("canonical_url") or data.get("url") or ""),
        title=data["title"].strip(),
        company=data["company"].strip(),
        locations=[data["location"].strip()] if data.get("location", "").strip() else [],
        workplace=data.get("workplace") or "",
        employment_type=data.get("employment_type") or "",
        salary=data.get("salary") or "",
        valid_through=datetime.combine(closes, time(23, 59), tzinfo=UTC) if closes else None,
        apply_url=data.get("apply_url") or "",
        description_text=data.get("description") or "",
        source="paste",
    )


@login_required
@require_http_methods(["GET", "POST"])
def paste(request: AuthedHttpRequest) -> HttpResponse:
    stages = _stages(request.user)
    step = request.POST.get("step", "")
    if request.method == "POST" and step == "extract":
        form = PasteForm(request.POST)
        if form.is_valid():
            found = from_text_or_html(
                url=form.cleaned_data["url"], content=form.cleaned_data["content"]
            )
            keep = KeepForm(initial=_initial(found), stages=stages)
            return render(request, "jobs/clip/paste.html", {"keep_form": keep, "found": found})
        return render(request, "jobs/clip/paste.html", {"form": form}, status=400)
    if request.method == "POST" and step == "keep":
        keep = KeepForm(request.POST, stages=stages)
        action = request.POST.get("action", "save")
        if keep.is_valid():
            data = keep.cleaned_data
            try:
                result = clip_keep(
                    user=request.user,
                    clip=_clip_from(data),
                    action="track" if action == "track" else "save",
                    stage=data["stage"],
                    collection=data["collection"],
                    note=data["note"],
                    site_host=request.get_host(),
                )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    keep.add_error(name if name in keep.fields else None, errors)
            else:
                for text in result.messages:
                    messages.info(request, text)
                if result.created:
                    where = "Saved" if result.kind == "saved_job" else "On your board"
                    messages.success(request, f"{where}: “{result.clip.title}”.")
                return redirect(result.url or "tracking:board")
        return render(request, "jobs/clip/paste.html", {"keep_form": keep}, status=400)
    form = PasteForm(initial={"url": request.GET.get("url", "")[:2000]})
    return render(request, "jobs/clip/paste.html", {"form": form})


@login_required
@require_GET
def bookmarklet_window(request: AuthedHttpRequest) -> HttpResponse:
    """Opened by the bookmarklet: asks its opener for the page, then posts it to the paste page
    (same origin, with this page's CSRF token). Without the page it is the paste form."""
    form = PasteForm(initial={"url": request.GET.get("url", "")[:2000]})
    response = render(request, "jobs/clip/bookmarklet_window.html", {"form": form})
    # The site-wide COOP "same-origin" would cut this window off from the job page that opened
    # it (window.opener null), and the page could not be handed over. The window shows only a
    # form; the opener can message it and nothing else (cross-origin DOM stays out of reach).
    response["Cross-Origin-Opener-Policy"] = "unsafe-none"
    return response
