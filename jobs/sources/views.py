"""Pages of live sources: /staff/sources/ (staff: list with health, add, edit, pause, sync now)
and /employer/companies/<slug>/sources/ (an employer connects their company's board). Thin: parse,
call one service or selector, render. Non-staff get a 404 from the staff pages; another
company's sources are a 404 for an employer."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.http import AuthedHttpRequest
from jobs.common import staff_required
from jobs.models import Company, SourceTrust
from jobs.sources import selectors, services
from jobs.sources.forms import ConnectForm, SourceEditForm, SourceForm, SyncNowForm


def _company_named(name: str) -> Company:
    found = Company.objects.filter(name__iexact=name.strip()).first()
    if found is not None:
        return found
    from jobs.imports.importers import _unique_company_slug

    return Company.objects.create(name=name.strip(), slug=_unique_company_slug(name))


@staff_required
@require_GET
def source_list(request: AuthedHttpRequest):
    return render(
        request,
        "jobs/sources/list.html",
        {"sources": selectors.sources_for_staff(), "form": SourceForm()},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def source_add(request: AuthedHttpRequest):
    form = SourceForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            source = services.source_create(
                kind=data["kind"],
                endpoint=data["endpoint"],
                company=_company_named(data["company"]),
                trust=data["trust"],
                schedule_minutes=data["schedule_minutes"],
                default_country=data["default_country"],
                by=request.user,
            )
        except services.SourceError as exc:
            form.add_error("endpoint", str(exc))
        else:
            services.source_sync_request(source=source)
            messages.success(request, f"Added {source}; its first sync is on its way.")
            return redirect("sources:list")
    status = 400 if form.errors else 200
    return render(request, "jobs/sources/add.html", {"form": form}, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def source_edit(request: AuthedHttpRequest, pk: int):
    source = selectors.source_for_staff(pk=pk)
    initial = {
        "endpoint": source.endpoint,
        "trust": source.trust,
        "schedule_minutes": source.schedule_minutes,
        "default_country": str(source.default_country or ""),
    }
    form = SourceEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            services.source_update(source=source, **form.cleaned_data)
        except services.SourceError as exc:
            form.add_error("endpoint", str(exc))
        else:
            messages.success(request, f"Saved {source}.")
            return redirect("sources:list")
    context = {"source": source, "form": form, "runs": selectors.source_runs(source=source)}
    return render(request, "jobs/sources/edit.html", context, status=400 if form.errors else 200)


@staff_required
@require_POST
def source_pause(request: AuthedHttpRequest, pk: int):
    source = selectors.source_for_staff(pk=pk)
    services.source_set_paused(source=source, paused=not source.paused)
    messages.success(request, f"{source} is {'paused' if source.paused else 'running again'}.")
    return redirect("sources:list")


@staff_required
@require_POST
def source_sync(request: AuthedHttpRequest, pk: int):
    source = selectors.source_for_staff(pk=pk)
    form = SyncNowForm(request.POST)
    allow = form.is_valid() and form.cleaned_data["allow_closing"]
    services.source_sync_request(source=source, allow_mass_close=allow)
    messages.success(
        request,
        f"A sync of {source} is on its way{' (closing allowed past the threshold)' if allow else ''}:"
        " refresh in a moment.",
    )
    if request.POST.get("next") == "edit":
        return redirect(source.get_absolute_url())
    return redirect("sources:list")


# --- employers -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def company_sources(request: AuthedHttpRequest, slug: str):
    company = selectors.company_for_member(user=request.user, slug=slug)
    form = ConnectForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            # An employer's board goes through moderation: staff may raise its trust.
            source = services.source_create(
                kind=data["kind"],
                endpoint=data["endpoint"],
                company=company,
                trust=SourceTrust.REVIEW,
                default_country=data["default_country"],
                by=request.user,
            )
        except services.SourceError as exc:
            form.add_error("endpoint", str(exc))
        else:
            services.source_sync_request(source=source)
            messages.success(
                request,
                "Your board is connected. Its jobs arrive in a minute or two and go to review "
                "before they are published.",
            )
            return redirect("sources:company", slug=company.slug)
    context = {
        "company": company,
        "form": form,
        "sources": selectors.sources_of_company(company=company),
    }
    return render(request, "jobs/sources/company.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def company_source_sync(request: AuthedHttpRequest, pk: int):
    source = selectors.source_for_member(user=request.user, pk=pk)
    services.source_sync_request(source=source)
    messages.success(request, "A sync is on its way: refresh in a moment.")
    return redirect("sources:company", slug=source.company.slug)


# --- the development server's own board (make run) -------------------------------------------


@require_GET
def dev_board(request: HttpRequest, token: str):
    """A Greenhouse-shaped board from demo data that changes with the clock; DEBUG only."""
    if not settings.DEBUG:
        raise Http404
    from jobs.sources.demo import board_payload

    return JsonResponse(board_payload(token=token))
