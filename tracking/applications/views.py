"""Thin views of the tracker: look personal rows up through their owner, call one service,
render. Every page works without JavaScript; htmx swaps partials when it is there."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from config.forms import add_service_errors
from config.http import AuthedHttpRequest, HtmxHttpRequest, safe_next
from config.site import absolute_url
from jobs.models import Posting
from jobs.summary.web import external_job_posting, summary_context
from tracking.applications import calendar, export, selectors, services
from tracking.applications.forms import (
    ApplicationForm,
    ContactForm,
    ExternalApplicationForm,
    InterviewForm,
    ListFilterForm,
    MoveForm,
    NoteForm,
    ReminderForm,
    SnoozeForm,
    StageChangeDateForm,
    StageForm,
    StageRenameForm,
    TrackingSettingsForm,
)
from tracking.dashboard.views import TODAY_PANEL, today_panel
from tracking.models import (
    Application,
    CalendarFeedToken,
    Contact,
    Interview,
    Note,
    Reminder,
    Stage,
    StageChange,
)

# --- owner lookups: another user's id is a 404 -------------------------------------------


def _application(request: AuthedHttpRequest, pk: int) -> Application:
    return get_object_or_404(Application.objects.for_user(request.user), pk=pk)


def _owned(model, request: AuthedHttpRequest, pk: int):
    qs = model.objects.for_user(request.user)
    if hasattr(model, "application"):
        qs = qs.select_related("application")
    return get_object_or_404(qs, pk=pk)


def _edit_page(
    request: AuthedHttpRequest,
    form: BaseForm,
    save: Callable[[dict], object],
    *,
    application: Application,
    done: str,
    message: str,
    title: str,
    submit: str,
    intro: str = "",
) -> HttpResponse:
    """The edit page of one of an application's rows (tracking/applications/form_page.html). A valid POST
    calls `save(cleaned_data)`; a ValidationError from it lands on the form's fields, otherwise
    the user goes to `done` with `message`. Anything else shows the form (400 with errors)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect(done)
    context = {"form": form, "title": title, "application": application, "submit": submit}
    if intro:
        context["intro"] = intro
    return render(
        request, "tracking/applications/form_page.html", context, status=400 if form.errors else 200
    )


def _targets_today(request: HtmxHttpRequest) -> bool:
    """An htmx request from the dashboard's Today panel (it swaps itself: HX-Target: today)."""
    return bool(request.htmx) and request.htmx.target == TODAY_PANEL


def _visible_stages(user):
    return Stage.objects.for_user(user).visible()


# --- board and list -----------------------------------------------------------------------


SIDE_PANEL = "side-panel-body"  # the board's aside that htmx fills with an application


@login_required
@require_GET
def board(request: AuthedHttpRequest):
    board = selectors.board_for(user=request.user, stage=request.GET.get("stage", ""))
    context = {
        "board": board,
        "stages": board.stages,
        "reminders": selectors.open_reminders_for(user=request.user, limit=5),
        "interviews": selectors.upcoming_interviews_for(user=request.user, limit=5),
    }
    return render(request, "tracking/applications/board.html", context)


# (sort key, column heading, first direction when clicked)
LIST_COLUMNS = [
    ("company", "Company", "company"),
    ("title", "Job", "title"),
    ("stage", "Stage", "stage"),
    ("applied", "Applied", "-applied"),
    ("activity", "Last activity", "-activity"),
    ("reminder", "Next reminder", "reminder"),
]


@login_required
@require_GET
@vary_on_headers("HX-Request")  # a cached results fragment is never the page
def application_list(request: AuthedHttpRequest):
    stages = _visible_stages(request.user)
    form = ListFilterForm(request.GET or None, stages=stages)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = request.GET.get("sort") or "-activity"
    if sort not in selectors.LIST_SORTS:
        sort = "-activity"
    qs = selectors.application_list_for(
        user=request.user,
        sort=sort,
        stage=filters.get("stage"),
        query=filters.get("q", ""),
        only_stale=filters.get("stale", False),
        with_reminder=filters.get("reminder", False),
        include_archived=filters.get("archived", False),
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    # the selector hangs the user's stale threshold on the queryset (no second settings query)
    cards = selectors.decorate_cards(page.object_list, stale_after=qs.stale_after)  # type: ignore[attr-defined]
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("sort", None)
    headers = []
    for key, label, first in LIST_COLUMNS:
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        nxt = (key if descending else f"-{key}") if current else first
        headers.append(
            {
                "label": label,
                "sort": nxt,
                "aria_sort": ("descending" if descending else "ascending") if current else "",
            }
        )
    context = {
        "headers": headers,
        "form": form,
        "page": page,
        "cards": cards,
        "sort": sort,
        "query_string": params.urlencode(),
        "page_query": request.GET.copy(),
    }
    # Back/Forward ask for the whole page (hx-history="false" on the filters): a partial would
    # replace the page with its results only.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "tracking/applications/application_list.html#results", context)
    return render(request, "tracking/applications/application_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_move(request: AuthedHttpRequest, pk: int, back: str = "tracking:board"):
    application = _application(request, pk)
    if request.method == "GET":
        # The card's menu without JavaScript: every stage as a button, and the card's page.
        return render(
            request,
            "tracking/applications/move.html",
            {"application": application, "stages": _visible_stages(request.user)},
        )
    form = MoveForm(request.POST, stages=_visible_stages(request.user))
    if not form.is_valid():
        msg = "Choose one of your stages."
        if _targets_today(request):
            return today_panel(request, msg, error=True)
        if request.htmx:
            return HttpResponse(msg, status=400)
        messages.error(request, msg)
        return redirect(safe_next(request, reverse(back)))
    try:
        result = services.application_move(
            application=application,
            stage=form.cleaned_data["stage"],
            position=form.cleaned_data.get("position"),
            by=request.user,
        )
    except ValidationError as exc:
        if _targets_today(request):
            return today_panel(request, " ".join(exc.messages), error=True)
        if request.htmx:
            return HttpResponse(" ".join(exc.messages), status=400)
        messages.error(request, " ".join(exc.messages))
        return redirect(safe_next(request, reverse(back)))
    stage = form.cleaned_data["stage"]
    if result.change:
        text = f"Moved “{application.title}” to {stage.name}."
    else:
        text = f"“{application.title}” stays in {stage.name}; the new order is saved."
    if _targets_today(request):
        return today_panel(request, text)
    if request.htmx:
        card, stages = selectors.board_card(user=request.user, pk=application.pk)
        return render(
            request,
            "tracking/applications/board.html#move_result",
            {"text": text, "warning": result.warning, "card": card, "stages": stages},
        )
    messages.success(request, text)
    if result.warning:
        messages.warning(request, str(result.warning))
    default = reverse(back)
    if back == "tracking:board":  # a phone shows the card's new column, scrolled to the card
        default += f"?stage={selectors.stage_param(stage)}#card-{application.pk}"
    return redirect(safe_next(request, default))


# --- creating ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: AuthedHttpRequest):
    stages = _visible_stages(request.user)
    form = ExternalApplicationForm(
        request.POST or None,
        stages=stages,
        initial={"stage": stages.filter(key="saved").first() or stages.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_create_external(
                user=request.user,
                company_name=data["company_name"],
                title=data["title"],
                url=data["url"],
                location=data["location"],
                posting_text=data["posting_text"],
                source=data["source"],
                stage=data["stage"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Now tracking “{application.title}”.")
            return redirect(application)
    return render(
        request,
        "tracking/applications/application_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def application_track(request: AuthedHttpRequest, posting_id: int):
    """Track a posting from its page, search results or saved jobs. Idempotent."""
    posting = get_object_or_404(Posting.objects.visible(), pk=posting_id)
    application, created = services.application_create_from_posting(
        user=request.user, posting=posting
    )
    if created:
        messages.success(
            request, f"Now tracking “{application.title}”. It is in {application.stage.name}."
        )
    else:
        messages.info(request, "You already track this job.")
    return redirect(application)


# --- the application page ------------------------------------------------------------------


def _detail(
    request: AuthedHttpRequest, application: Application, *, status: int = 200, **forms
) -> HttpResponse:
    stages = _visible_stages(request.user)
    user_tz = timezone.get_current_timezone_name()
    context = {
        "application": application,
        "timeline": selectors.application_timeline(application=application),
        "notes": application.notes.all(),
        "reminders": application.reminders.all(),
        "interviews": application.interviews.all(),
        "contacts": application.contacts.all(),
        "stages": stages,
        "move_form": MoveForm(initial={"stage": application.stage_id}, stages=stages),
        "edit_form": forms.get("edit_form") or ApplicationForm(instance=application),
        "note_form": forms.get("note_form") or NoteForm(),
        "reminder_form": forms.get("reminder_form") or ReminderForm(),
        "interview_form": forms.get("interview_form")
        or InterviewForm(initial={"timezone": user_tz}),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "snooze_form": SnoozeForm(),
        "limit_warning": services.application_limit_check(application=application)
        if application.applied_at is None and application.posting_id
        else None,
        "open_section": forms.get("open_section", ""),
        # The summary panel of a pasted posting, computed here (template tags run no query).
        "external_summary": summary_context(
            posting=external_job_posting(title=application.title, text=application.posting_text),
            user=request.user,
        )
        if application.posting_id is None and application.posting_text.strip()
        else None,
    }
    template = "tracking/applications/application_detail.html"
    if getattr(request, "htmx", False) and request.htmx.target == SIDE_PANEL:
        template += "#panel"  # the board's side panel: the page's head and main column
    return render(request, template, context, status=status)


@login_required
@require_GET
@vary_on_headers("HX-Request")  # the side panel's fragment is never the page
def application_detail(request: AuthedHttpRequest, pk: int):
    application = get_object_or_404(
        Application.objects.for_user(request.user).select_related(
            "stage", "posting__company__group"
        ),
        pk=pk,
    )
    return _detail(request, application)


@login_required
@require_POST
def application_edit(request: AuthedHttpRequest, pk: int):
    application = _application(request, pk)
    form = ApplicationForm(request.POST, request.FILES, instance=application)
    if form.is_valid():
        try:
            services.application_update(
                application=application,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect(application)
    application.refresh_from_db()
    return _detail(request, application, status=400, edit_form=form, open_section="edit")


@login_required
@require_GET
def application_document(request: AuthedHttpRequest, pk: int):
    """The résumé/cover-letter file, to its owner only (never served from a public URL)."""
    application = _application(request, pk)
    if not application.document or application.document.name is None:
        raise Http404("No file.")
    name = application.document.name.rsplit("/", 1)[-1]
    try:
        handle = application.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is gone.") from exc
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
@require_POST
def application_archive(request: AuthedHttpRequest, pk: int):
    application = _application(request, pk)
    archived = request.POST.get("archived", "1") == "1"
    try:
        services.application_archive(application=application, archived=archived)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(application)
    messages.success(
        request, "Archived: it is off the board." if archived else "Back on the board."
    )
    return redirect(application)


@login_required
@require_POST
def application_delete(request: AuthedHttpRequest, pk: int):
    application = _application(request, pk)
    title = application.title
    services.application_delete(application=application)
    messages.success(request, f"Deleted “{title}” and its history.")
    return redirect("tracking:board")


@login_required
@require_http_methods(["GET", "POST"])
def stage_change_edit(request: AuthedHttpRequest, pk: int):
    change = get_object_or_404(
        StageChange.objects.for_user(request.user).select_related(
            "application", "from_stage", "to_stage"
        ),
        pk=pk,
    )
    return _edit_page(
        request,
        StageChangeDateForm(
            request.POST or None, initial={"changed_at": timezone.localtime(change.changed_at)}
        ),
        lambda data: services.stage_change_edit_date(change=change, changed_at=data["changed_at"]),
        application=change.application,
        done=change.application.get_absolute_url(),
        message="The date is corrected; the original is kept.",
        title="Correct the date of a stage change",
        intro=f"{change.from_stage or 'Start'} → {change.to_stage}",
        submit="Save date",
    )


# --- notes ---------------------------------------------------------------------------------


@login_required
@require_POST
def note_add(request: AuthedHttpRequest, pk: int):
    application = _application(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(application=application, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Note added.")
            return redirect(reverse("tracking:application", args=[pk]) + "#notes")
    return _detail(request, application, status=400, note_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request: AuthedHttpRequest, pk: int):
    note = _owned(Note, request, pk)
    return _edit_page(
        request,
        NoteForm(request.POST or None, initial={"body": note.body}),
        lambda data: services.note_edit(note=note, body=data["body"]),
        application=note.application,
        done=reverse("tracking:application", args=[note.application_id]) + "#notes",
        message="Note saved.",
        title="Edit note",
        submit="Save note",
    )


@login_required
@require_POST
def note_delete(request: AuthedHttpRequest, pk: int):
    note = _owned(Note, request, pk)
    services.note_delete(note=note)
    messages.success(request, "Note deleted.")
    return redirect(reverse("tracking:application", args=[note.application_id]) + "#notes")


# --- reminders -----------------------------------------------------------------------------


@login_required
@require_POST
def reminder_add(request: AuthedHttpRequest, pk: int):
    application = _application(request, pk)
    form = ReminderForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            due_at = data["due_at"]
            if data.get("quick"):
                due_at = services.quick_pick_due(
                    pick=data["quick"], tz=timezone.get_current_timezone()
                )
            services.reminder_create(
                application=application, due_at=due_at, message=data["message"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Reminder set.")
            return redirect(reverse("tracking:application", args=[pk]) + "#reminders")
    return _detail(request, application, status=400, reminder_form=form)


def _reminder_action(
    request: AuthedHttpRequest, pk: int, action, done: str, back: str | None
) -> HttpResponse:
    """Run `action` on the user's reminder and answer whoever asked: the dashboard's Today
    panel when htmx targets it, else a message and back to `next`, `back` or the application."""
    reminder = _owned(Reminder, request, pk)
    error = False
    try:
        action(reminder)
        text = done.format(title=reminder.application.title)
    except ValidationError as exc:
        text, error = " ".join(exc.messages), True
    if _targets_today(request):
        return today_panel(request, text, error=error)
    (messages.error if error else messages.success)(request, text)
    default = (
        reverse(back)
        if back
        else reverse("tracking:application", args=[reminder.application_id]) + "#reminders"
    )
    return redirect(safe_next(request, default))


@login_required
@require_POST
def reminder_done(request: AuthedHttpRequest, pk: int, back: str | None = None) -> HttpResponse:
    return _reminder_action(
        request,
        pk,
        lambda r: services.reminder_done(reminder=r),
        "Done: follow-up on “{title}”.",
        back,
    )


@login_required
@require_POST
def reminder_cancel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _reminder_action(
        request,
        pk,
        lambda r: services.reminder_cancel(reminder=r),
        "Cancelled the follow-up on “{title}”.",
        None,
    )


SNOOZE_WORDS = {"1d": "a day", "3d": "3 days", "1w": "a week"}


@login_required
@require_POST
def reminder_snooze(request: AuthedHttpRequest, pk: int, back: str | None = None) -> HttpResponse:
    form = SnoozeForm(request.POST)
    by = form.cleaned_data["by"] if form.is_valid() else ""
    return _reminder_action(
        request,
        pk,
        lambda r: services.reminder_snooze(reminder=r, by=by),
        "Snoozed “{title}” for " + SNOOZE_WORDS.get(by, "") + ".",
        back,
    )


# --- interviews ----------------------------------------------------------------------------


def _interview_kwargs(data: dict) -> dict:
    return {
        "starts_at": data.get("starts_at"),
        "ends_at": data.get("ends_at"),
        "timezone_name": data["timezone"],
        "kind": data["kind"],
        "location": data["location"],
        "people": data["people"],
        "prep_notes": data["prep_notes"],
    }


@login_required
@require_POST
def interview_add(request: AuthedHttpRequest, pk: int):
    application = _application(request, pk)
    form = InterviewForm(request.POST)
    if form.is_valid():
        try:
            services.interview_create(
                application=application, **_interview_kwargs(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Interview added.")
            return redirect(reverse("tracking:application", args=[pk]) + "#interviews")
    return _detail(request, application, status=400, interview_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def interview_edit(request: AuthedHttpRequest, pk: int):
    interview = _owned(Interview, request, pk)
    return _edit_page(
        request,
        InterviewForm(request.POST or None, initial=InterviewForm.initial_for(interview)),
        lambda data: services.interview_edit(interview=interview, **_interview_kwargs(data)),
        application=interview.application,
        done=reverse("tracking:application", args=[interview.application_id]) + "#interviews",
        message="Interview saved.",
        title="Edit interview",
        submit="Save interview",
    )


@login_required
@require_POST
def interview_delete(request: AuthedHttpRequest, pk: int):
    interview = _owned(Interview, request, pk)
    services.interview_delete(interview=interview)
    messages.success(request, "Interview removed.")
    return redirect(
        reverse("tracking:application", args=[interview.application_id]) + "#interviews"
    )


@login_required
@require_GET
def interview_ics(request: AuthedHttpRequest, pk: int):
    interview = _owned(Interview, request, pk)
    body = calendar.interview_ics(interview=interview)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    return response


# --- contacts ------------------------------------------------------------------------------


@login_required
@require_POST
def contact_add(request: AuthedHttpRequest, pk: int):
    application = _application(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_add(application=application, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Contact added.")
            return redirect(reverse("tracking:application", args=[pk]) + "#contacts")
    return _detail(request, application, status=400, contact_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthedHttpRequest, pk: int):
    contact = _owned(Contact, request, pk)
    return _edit_page(
        request,
        ContactForm(request.POST or None, instance=contact),
        lambda data: services.contact_edit(contact=contact, **data),
        application=contact.application,
        done=reverse("tracking:application", args=[contact.application_id]) + "#contacts",
        message="Contact saved.",
        title="Edit contact",
        submit="Save contact",
    )


@login_required
@require_POST
def contact_delete(request: AuthedHttpRequest, pk: int):
    contact = _owned(Contact, request, pk)
    services.contact_delete(contact=contact)
    messages.success(request, "Contact removed.")
    return redirect(reverse("tracking:application", args=[contact.application_id]) + "#contacts")


# --- settings: stages, stale days, calendar feed -------------------------------------------


def _settings_page(request: AuthedHttpRequest, *, status: int = 200, **forms) -> HttpResponse:
    stages = selectors.stages_for(user=request.user)
    counts = {
        row["stage_id"]: row["n"]
        for row in Application.objects.for_user(request.user)
        .active()
        .values("stage_id")
        .annotate(n=Count("id"))
    }
    for s in stages:
        s.live_count = counts.get(s.pk, 0)  # type: ignore[attr-defined]  # for the template
    settings_obj = selectors.tracking_settings_for(user=request.user)
    token = services.calendar_token_for(user=request.user)
    feed_url = absolute_url(reverse("tracking:calendar_feed", args=[token.token])) if token else ""
    context = {
        "stages": stages,
        "stage_form": forms.get("stage_form") or StageForm(),
        "rename_errors": forms.get("rename_errors") or {},
        "settings_form": forms.get("settings_form")
        or TrackingSettingsForm(initial={"stale_after_days": settings_obj.stale_after_days}),
        "feed_url": feed_url,
    }
    return render(request, "tracking/applications/settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def tracking_settings(request: AuthedHttpRequest):
    if request.method == "POST":
        form = TrackingSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.tracking_settings_update(
                    user=request.user, stale_after_days=form.cleaned_data["stale_after_days"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Settings saved.")
                return redirect("tracking:settings")
        return _settings_page(request, status=400, settings_form=form)
    return _settings_page(request)


@login_required
@require_POST
def stage_add(request: AuthedHttpRequest):
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.stage_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Stage “{form.cleaned_data['name']}” added.")
            return redirect(reverse("tracking:settings") + "#stages")
    return _settings_page(request, status=400, stage_form=form)


def _stage(request: AuthedHttpRequest, pk: int) -> Stage:
    return get_object_or_404(Stage.objects.for_user(request.user), pk=pk)


@login_required
@require_POST
def stage_rename(request: AuthedHttpRequest, pk: int):
    stage = _stage(request, pk)
    form = StageRenameForm(request.POST)
    if form.is_valid():
        try:
            services.stage_rename(stage=stage, name=form.cleaned_data["name"])
        except ValidationError as exc:
            return _settings_page(
                request, status=400, rename_errors={stage.pk: " ".join(exc.messages)}
            )
        messages.success(request, "Stage renamed.")
        return redirect("tracking:settings")
    return _settings_page(
        request,
        status=400,
        rename_errors={stage.pk: "Give the stage a name (up to 60 characters)."},
    )


@login_required
@require_POST
def stage_shift(request: AuthedHttpRequest, pk: int):
    stage = _stage(request, pk)
    offset = -1 if request.POST.get("direction") == "left" else 1
    services.stage_shift(stage=stage, offset=offset)
    return redirect(reverse("tracking:settings") + "#stages")


@login_required
@require_POST
def stage_archive(request: AuthedHttpRequest, pk: int):
    stage = _stage(request, pk)
    try:
        if request.POST.get("archived", "1") == "1":
            services.stage_archive(stage=stage)
            messages.success(request, f"“{stage.name}” archived; its history is kept.")
        else:
            services.stage_unarchive(stage=stage)
            messages.success(request, f"“{stage.name}” is back on the board.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("tracking:settings") + "#stages")


@login_required
@require_POST
def calendar_regenerate(request: AuthedHttpRequest):
    replacing = services.calendar_token_for(user=request.user) is not None
    services.calendar_token_regenerate(user=request.user)
    if replacing:
        messages.success(
            request, "A new private calendar URL is ready; the old one stopped working."
        )
    else:
        messages.success(request, "Your private calendar URL is ready.")
    return redirect(reverse("tracking:settings") + "#calendar")


@login_required
@require_POST
def calendar_revoke(request: AuthedHttpRequest):
    services.calendar_token_revoke(user=request.user)
    messages.success(request, "Calendar feed turned off; its URL no longer works.")
    return redirect(reverse("tracking:settings") + "#calendar")


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str):
    """The private feed: the token is the only credential (calendar apps cannot log in)."""
    feed_token = CalendarFeedToken.objects.live().select_related("user").filter(token=token).first()
    if feed_token is None or not feed_token.user.is_active:
        raise Http404("No such calendar.")
    body = calendar.feed_ics(user=feed_token.user)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- export --------------------------------------------------------------------------------


@login_required
@require_GET
def export_applications_csv(request: AuthedHttpRequest):
    return _csv_response(export.applications_csv(user=request.user), "jobtrail-applications.csv")


@login_required
@require_GET
def export_stage_changes_csv(request: AuthedHttpRequest):
    return _csv_response(export.stage_changes_csv(user=request.user), "jobtrail-stage-changes.csv")


def _csv_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
