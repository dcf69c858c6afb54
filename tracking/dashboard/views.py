"""The dashboard: the logged-in user's home page, its JSON for the charts, and the Today
panel's in-place actions (done, snooze, move). Thin: parse → one selector or service →
render. With htmx the actions swap the Today panel; without it they redirect back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from config.dates import validate_in_range
from config.http import AuthedHttpRequest
from config.timezones import user_timezone
from tracking.applications.selectors import stages_for, tracking_settings_for
from tracking.dashboard import selectors as dashboard
from tracking.models import Collection

if TYPE_CHECKING:
    from accounts.models import User

RANGE_CHOICES = [
    ("all", "All time"),
    ("30d", "Last 30 days"),
    ("90d", "Last 90 days"),
    ("365d", "Last 12 months"),
    ("custom", "Custom dates"),
]


class DashboardFilterForm(forms.Form):
    range = forms.ChoiceField(label="Applied in", choices=RANGE_CHOICES, required=False)
    start = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_in_range],
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_in_range],
    )
    company = forms.ChoiceField(label="Company", required=False)
    source = forms.ChoiceField(label="Source", required=False)
    collection = forms.ModelChoiceField(
        label="Collection", queryset=Collection.objects.none(), required=False, empty_label="All"
    )

    def __init__(self, *args: Any, user: User, choices: dict, **kwargs: Any) -> None:
        kwargs["label_suffix"] = ""
        super().__init__(*args, **kwargs)
        companies = [("", "All")] + [(c, c) for c in choices["companies"]]
        cast(forms.ChoiceField, self.fields["company"]).choices = companies
        sources = [("", "All")] + [(s, s) for s in choices["sources"]]
        cast(forms.ChoiceField, self.fields["source"]).choices = sources
        collection = cast(forms.ModelChoiceField, self.fields["collection"])
        collection.queryset = Collection.objects.for_user(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        start, end = data.get("start"), data.get("end")
        refused = "start" in self.errors or "end" in self.errors  # already said why
        if data.get("range") == "custom" and not (start or end) and not refused:
            self.add_error("start", "Pick a first day, a last day, or both.")
        if start and end and end < start:
            self.add_error("end", "The last day must be on or after the first day.")
        return data


def _filters(
    request: AuthedHttpRequest, choices: dict, tz
) -> tuple[DashboardFilterForm, dashboard.Filters]:
    form = DashboardFilterForm(request.GET or None, user=request.user, choices=choices)
    if not form.is_bound or not form.is_valid():
        return form, dashboard.Filters()
    data = form.cleaned_data
    start, end = dashboard.range_bounds(
        range_key=data.get("range") or "all", tz=tz, start=data.get("start"), end=data.get("end")
    )
    collection = data.get("collection")
    return form, dashboard.Filters(
        start=start,
        end=end,
        company=data.get("company") or "",
        source=data.get("source") or "",
        collection_id=collection.pk if collection else None,
    )


def _context(request: AuthedHttpRequest) -> dict:
    tz = user_timezone(request.user)
    choices = dashboard.filter_choices(user=request.user)
    form, filters = _filters(request, choices, tz)
    board = dashboard.dashboard_for(user=request.user, filters=filters, tz=tz, choices=choices)
    query = request.GET.urlencode()
    return {
        "dash": board,
        "today": board.today,
        "pipeline": board.pipeline,
        "form": form,
        "query": query,
        "data_url": reverse("tracking:dashboard_data") + (f"?{query}" if query else ""),
        "has_collections": Collection.objects.for_user(request.user).exists(),
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")  # a cached results fragment is never the page
def dashboard_page(request: AuthedHttpRequest) -> HttpResponse:
    context = _context(request)
    if request.htmx and request.htmx.target == "pipeline":
        return render(request, "tracking/dashboard/index.html#pipeline", context)
    return render(request, "tracking/dashboard/index.html", context)


@login_required
@require_GET
def dashboard_data(request: AuthedHttpRequest) -> JsonResponse:
    tz = user_timezone(request.user)
    choices = dashboard.filter_choices(user=request.user)
    form, filters = _filters(request, choices, tz)
    stages = stages_for(user=request.user)
    pipeline = dashboard.pipeline_for(user=request.user, filters=filters, stages=stages, tz=tz)
    data = dashboard.chart_data(pipeline=pipeline)
    data["errors"] = form.errors.get_json_data() if form.is_bound else {}
    return JsonResponse(data)


# --- Today panel actions --------------------------------------------------------------------


TODAY_PANEL = "today"  # the id (and htmx target) of the Today panel


def today_panel(request: AuthedHttpRequest, text: str, *, error: bool = False) -> HttpResponse:
    """The refreshed Today panel with an action's outcome in it: what the tracker's reminder
    and move views answer when htmx targets the panel (HX-Target: today)."""
    tz = user_timezone(request.user)
    stages = stages_for(user=request.user)
    settings = tracking_settings_for(user=request.user)
    today = dashboard.today_for(
        user=request.user, stages=stages, stale_after_days=settings.stale_after_days, tz=tz
    )
    context = {"today": today, "flash": text, "flash_error": error, "query": ""}
    return render(request, "tracking/dashboard/index.html#today", context)
