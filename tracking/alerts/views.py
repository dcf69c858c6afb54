"""Thin views of in-app notifications, the unsubscribe link and saved searches. Personal rows
are looked up through their owner (another user's id is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import NotificationKind
from config.http import AuthedHttpRequest
from jobs.board.search import normalize_querystring, parse_search_params, summarize_querystring
from tracking.alerts import services as notifications
from tracking.alerts.forms import (
    NotificationSettingsForm,
    SavedSearchForm,
)
from tracking.models import Notification, SavedSearch


def _saved_search(request: AuthedHttpRequest, pk: int) -> SavedSearch:
    return get_object_or_404(SavedSearch.objects.for_user(request.user), pk=pk)


@login_required
@require_GET
def notification_list(request: AuthedHttpRequest) -> HttpResponse:
    rows = Notification.objects.for_user(request.user).only(
        "id", "kind", "subject", "url", "created_at", "read_at", "email_status", "emailed_at"
    )
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "tracking/alerts/list.html",
        {
            "page": page,
            "unread": notifications.unread_count(user=request.user),
            "settings_form": NotificationSettingsForm(
                instance=notifications.notification_settings_for(user=request.user)
            ),
        },
    )


@login_required
@require_GET
def notification_bell(request: AuthedHttpRequest) -> HttpResponse:
    """The header bell, refreshed by htmx every minute; without JS it is a plain link."""
    response = render(
        request,
        "tracking/alerts/_bell.html",
        {"unread": notifications.unread_count(user=request.user)},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def notification_read(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    notifications.notification_mark_read(user=request.user, notification_id=notification.pk)
    if request.POST.get("open") and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect("tracking:notifications")


@login_required
@require_POST
def notification_read_all(request: AuthedHttpRequest) -> HttpResponse:
    count = notifications.notification_mark_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("tracking:notifications")


@login_required
@require_POST
def notification_settings(request: AuthedHttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(
        request.POST, instance=notifications.notification_settings_for(user=request.user)
    )
    if form.is_valid():
        notifications.notification_settings_update(
            user=request.user, expiry_warning_days=form.cleaned_data["expiry_warning_days"]
        )
        messages.success(request, "Saved: expiry warnings come that many days before.")
        return redirect("tracking:notifications")
    rows = Notification.objects.for_user(request.user)
    return render(
        request,
        "tracking/alerts/list.html",
        {
            "page": Paginator(rows, 30).get_page(1),
            "unread": notifications.unread_count(user=request.user),
            "settings_form": form,
        },
    )


@csrf_exempt  # the signed token is the credential; mail clients POST without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a confirm page with a POST button (link scanners must not unsubscribe anyone).
    POST: RFC 8058 one-click, or the button. A tampered token is a 400 and changes nothing."""
    parsed = notifications.read_unsubscribe_token(token)
    if parsed is None:
        return render(request, "tracking/alerts/unsubscribe_invalid.html", status=400)
    user_id, kind = parsed
    context = {"kind_label": NotificationKind(kind).label, "token": token}
    if request.method == "POST":
        notifications.unsubscribe(user_id=user_id, kind=kind)
        return render(request, "tracking/alerts/unsubscribe_done.html", context)
    return render(request, "tracking/alerts/unsubscribe_confirm.html", context)


@login_required
@require_GET
def saved_search_list(request: AuthedHttpRequest) -> HttpResponse:
    searches = SavedSearch.objects.for_user(request.user)
    return render(request, "tracking/alerts/saved_searches.html", {"searches": searches})


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_new(request: AuthedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SavedSearchForm(request.POST)
        if form.is_valid():
            search, created = notifications.saved_search_save(
                user=request.user, **form.cleaned_data
            )
            if created:
                messages.success(request, f"Saved “{search.name}”.")
            else:
                messages.info(
                    request,
                    f"You already saved this search as “{search.name}”: nothing new was added.",
                )
            return redirect("tracking:saved_searches")
    else:
        querystring = normalize_querystring(request.GET.urlencode())
        q = parse_search_params(request.GET)[0].q
        form = SavedSearchForm(
            initial={
                "querystring": querystring,
                "name": q[:80] or "My search",
                "frequency": "daily",
            }
        )
    return render(
        request,
        "tracking/alerts/saved_search_form.html",
        {"form": form, "title": "Save this search", "search": None,
         "querystring": form["querystring"].value() or "",
         "summary": summarize_querystring(form["querystring"].value() or "")},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def saved_search_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    search = _saved_search(request, pk)
    form = SavedSearchForm(request.POST or None, instance=search)
    if request.method == "POST" and form.is_valid():
        notifications.saved_search_update(search=search, **form.cleaned_data)
        messages.success(request, f"Saved “{search.name}”.")
        return redirect("tracking:saved_searches")
    return render(
        request,
        "tracking/alerts/saved_search_form.html",
        {"form": form, "title": f"Edit “{search.name}”", "search": search,
         "querystring": search.querystring, "summary": search.summary},
    )  # fmt: skip


@login_required
@require_POST
def saved_search_pause(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    search = _saved_search(request, pk)
    notifications.saved_search_set_paused(search=search, paused=not search.paused)
    messages.success(request, f"“{search.name}” {'paused' if search.paused else 'resumed'}.")
    return redirect("tracking:saved_searches")


@login_required
@require_POST
def saved_search_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    search = _saved_search(request, pk)
    notifications.saved_search_delete(search=search)
    messages.success(request, f"Deleted “{search.name}”.")
    return redirect(reverse("tracking:saved_searches"))
