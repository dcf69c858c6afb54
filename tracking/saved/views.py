"""Thin views of saved jobs, collections and compare. Personal rows are looked up through
their owner (another user's id is a 404). Every page works without JavaScript; htmx swaps the
Save button and saved rows in place."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from config.forms import add_service_errors
from config.http import AuthedHttpRequest, HtmxHttpRequest, safe_next
from config.params import parse_int
from jobs.models import Posting
from tracking.models import Application, Collection, SavedJob
from tracking.saved import selectors as saved_selectors
from tracking.saved import services as saved
from tracking.saved.forms import (
    BULK_ACTIONS,
    BulkForm,
    CollectionForm,
    NoteForm,
    SavedFilterForm,
    SavedJobCollectionsForm,
)

SAVE_BUTTON = "tracking/saved/_save_button.html"


def _saved_job(request: AuthedHttpRequest, pk: int) -> SavedJob:
    return get_object_or_404(
        SavedJob.objects.for_user(request.user).select_related("posting__company"), pk=pk
    )


def _collection(request: AuthedHttpRequest, pk: int) -> Collection:
    return get_object_or_404(Collection.objects.for_user(request.user), pk=pk)


def _undo_message(request: HttpRequest, removed: saved.Removed, text: str) -> str:
    """A message with an Undo button (a POST form: works without JavaScript)."""
    return format_html(
        '{} <form method="post" action="{}" class="inline-form undo-form">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="token" value="{}">'
        '<button type="submit" class="link-button">Undo</button></form>',
        text,
        reverse("tracking:saved_undo"),
        get_token(request),
        removed.sign(),
    )


# --- Save / unsave / undo ------------------------------------------------------------------


def _button_posting(request: HttpRequest, posting_id: int | str) -> Posting:
    """The posting whose button (and title) an answer may show: a visible one, or one this
    user has saved. A submitted or rejected posting's title is nobody else's business (a 404
    like an unknown id), issue 16 point 11."""
    own_save = SavedJob.objects.for_user(request.user).filter(posting=OuterRef("pk"))
    shown = Posting.objects.visible() | Posting.objects.filter(Exists(own_save))
    return get_object_or_404(shown, pk=posting_id)


def _button(request: HtmxHttpRequest, posting: Posting, **extra) -> HttpResponse:
    saved_ids = {posting.pk} if extra.pop("is_saved") else set()
    return render(
        request,
        SAVE_BUTTON,
        {
            "posting": posting,
            "saved_ids": saved_ids,
            "form_id": request.POST.get("form_id", ""),
            **extra,
        },
    )


@require_POST
def save(request: HtmxHttpRequest, posting_id: int) -> HttpResponse:
    """One click: saves (idempotent). Anonymous visitors are sent to log in; the save is kept
    in their session and done when they log in (tracking/saved/signals.py), then they come back."""
    posting = get_object_or_404(Posting.objects.visible(), pk=posting_id)
    back = safe_next(request, posting.get_absolute_url())
    if not request.user.is_authenticated:
        saved.pending_save_store(request.session, posting_id=posting.pk)
        login = f"{reverse('account_login')}?{urlencode({'next': back})}"
        messages.info(
            request, f"Log in or sign up to save “{posting.title}”. It will be saved then."
        )
        if request.htmx:
            return HttpResponseClientRedirect(login)
        return redirect(login)
    _, created = saved.saved_job_save(user=request.user, posting=posting)
    if request.htmx:
        return _button(request, posting, is_saved=True, just_saved=True)
    if created:
        messages.success(request, f"Saved “{posting.title}”.")
    return redirect(back)


@login_required
@require_POST
def unsave(request: AuthedHttpRequest, posting_id: int) -> HttpResponse:
    """Asks nothing; offers Undo."""
    posting = _button_posting(request, posting_id)
    rows = list(SavedJob.objects.for_user(request.user).filter(posting=posting))
    removed = saved.saved_jobs_remove(user=request.user, saved_jobs=rows)
    if request.htmx:
        return _button(
            request, posting, is_saved=False, undo_token=removed.sign() if removed.count else ""
        )
    if removed.count:
        messages.success(
            request,
            _undo_message(request, removed, f"Removed “{posting.title}” from your saved jobs."),
        )
    return redirect(safe_next(request, posting.get_absolute_url()))


@login_required
@require_POST
def undo(request: AuthedHttpRequest) -> HttpResponse:
    try:
        removed = saved.Removed.unsign(request.POST.get("token", ""))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        removed = None
    restored = saved.saved_job_restore(user=request.user, removed=removed) if removed else []
    if request.htmx:
        posting_id = parse_int(request.POST.get("posting"))
        if posting_id is None:
            return HttpResponseClientRefresh()
        posting = _button_posting(request, posting_id)
        return _button(request, posting, is_saved=bool(restored))
    if restored:
        n = len(restored)
        messages.success(request, f"Put back {n} saved job{'s' if n != 1 else ''}.")
    else:
        messages.error(request, "Nothing to undo: that undo link is too old or not yours.")
    return redirect(safe_next(request, reverse("tracking:saved")))


# --- the saved page ------------------------------------------------------------------------


@login_required
@require_GET
@vary_on_headers("HX-Request")  # a cached results fragment is never the page
def saved_list(request: AuthedHttpRequest) -> HttpResponse:
    form = SavedFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    raw = request.GET.get("collection", "")
    # Someone else's (or a deleted) collection is a 404, like every personal id.
    collection = _collection(request, parse_int(raw) or 0) if raw else None
    sort = request.GET.get("sort", "")
    page = saved_selectors.saved_page_for(
        user=request.user,
        sort=sort if sort in saved_selectors.SORTS else "saved",
        collection=collection,
        expiring=bool(filters.get("expiring")),
        page=parse_int(request.GET.get("page"), default=1, min_value=1) or 1,
    )
    params = request.GET.copy()
    params.pop("page", None)
    kept = request.session.pop(BULK_KEPT, None) or {}
    context = {
        "ticked": set(kept.get("ids", [])),
        "bulk_action": kept.get("action", ""),
        "bulk_collection": kept.get("collection", ""),
        "form": form,
        "page": page,
        "sorts": list(saved_selectors.SORTS.items()),
        "bulk_actions": BULK_ACTIONS,
        "query_string": params.urlencode(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "tracking/saved/saved_list.html#results", context)
    return render(request, "tracking/saved/saved_list.html", context)


@login_required
@require_POST
def saved_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Remove one row of the saved page; htmx swaps the row for "Removed · Undo"."""
    saved_job = _saved_job(request, pk)
    title = saved_job.posting.title
    removed = saved.saved_job_remove(saved_job=saved_job)
    if request.htmx:
        return render(
            request,
            "tracking/saved/saved_list.html#removed_row",
            {"title": title, "token": removed.sign(), "pk": pk},
        )
    messages.success(
        request, _undo_message(request, removed, f"Removed “{title}” from your saved jobs.")
    )
    return redirect(safe_next(request, reverse("tracking:saved")))


BULK_KEPT = "saved_bulk_kept"


@login_required
@require_POST
def saved_bulk(request: AuthedHttpRequest) -> HttpResponse:
    back = safe_next(request, reverse("tracking:saved"))
    if "compare" in request.POST:
        ids = ",".join(request.POST.getlist("ids"))
        return redirect(f"{reverse('tracking:saved_compare')}?{urlencode({'ids': ids})}")
    form = BulkForm(request.POST, user=request.user)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(
                    request, f"{label}: {error}" if label and field != "ids" else str(error)
                )
        # The page comes back with the same boxes ticked and the same choices made (kept for
        # the next GET of the saved page only; the ids are checked against the user's there).
        request.session[BULK_KEPT] = {
            "ids": [i for i in request.POST.getlist("ids") if i.isascii() and i.isdigit()][:500],
            "action": request.POST.get("action", "")[:20],
            "collection": request.POST.get("collection", "")[:20],
        }
        return redirect(back)
    action = form.cleaned_data["action"]
    jobs = list(form.cleaned_data["ids"])
    collection = form.cleaned_data.get("collection")
    n = len(jobs)
    jobs_word = f"{n} job{'s' if n != 1 else ''}"
    # BulkForm.clean requires a collection for these two actions
    if action == "move" and collection is not None:
        saved.saved_jobs_move_to_collection(
            user=request.user, saved_jobs=jobs, collection=collection
        )
        messages.success(request, f"Added {jobs_word} to “{collection.name}”.")
    elif action == "uncollect" and collection is not None:
        saved.saved_jobs_remove_from_collection(
            user=request.user, saved_jobs=jobs, collection=collection
        )
        messages.success(request, f"Took {jobs_word} out of “{collection.name}”; they stay saved.")
    elif action == "track":
        created, existing = saved.saved_jobs_start_tracking(user=request.user, saved_jobs=jobs)
        text = f"Now tracking {created} more job{'s' if created != 1 else ''}"
        text += f" ({existing} already tracked)" if existing else ""
        text += "; new ones start in the board’s first column, and stay in your saved jobs."
        messages.success(
            request,
            format_html('{} <a href="{}">Open the board</a>', text, reverse("tracking:board")),
        )
    elif action == "remove":
        removed = saved.saved_jobs_remove(user=request.user, saved_jobs=jobs)
        messages.success(
            request, _undo_message(request, removed, f"Removed {jobs_word} from your saved jobs.")
        )
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def saved_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A saved job's note and collections."""
    saved_job = _saved_job(request, pk)
    note_form = NoteForm(initial={"note": saved_job.note}, prefix="note")
    collections_form = SavedJobCollectionsForm(
        user=request.user, initial={"collections": list(saved_job.collections.all())}, prefix="col"
    )
    status = 200
    if request.method == "POST":
        note_form = NoteForm(request.POST, prefix="note")
        collections_form = SavedJobCollectionsForm(request.POST, user=request.user, prefix="col")
        if note_form.is_valid() and collections_form.is_valid():
            try:
                saved.saved_job_edit(
                    saved_job=saved_job,
                    note=note_form.cleaned_data["note"],
                    collections=list(collections_form.cleaned_data["collections"]),
                )
            except ValidationError as exc:
                add_service_errors(note_form, exc)
            else:
                messages.success(request, f"Updated “{saved_job.posting.title}”.")
                return redirect(safe_next(request, reverse("tracking:saved")))
        status = 400
    return render(
        request,
        "tracking/saved/saved_edit.html",
        {"saved_job": saved_job, "note_form": note_form, "collections_form": collections_form},
        status=status,
    )


# --- collections ---------------------------------------------------------------------------


@login_required
@require_POST
def outside_uncollect(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Take a job from another site out of a collection (it stays on the board)."""
    application = get_object_or_404(
        Application.objects.for_user(request.user).filter(posting__isnull=True), pk=pk
    )
    collection = (
        Collection.objects.for_user(request.user)
        .filter(pk=parse_int(request.POST.get("collection")) or 0)
        .first()
    )
    if collection is None:  # none sent, or not one of this user's: the field named, 400
        return render(
            request,
            "tracking/saved/outside_uncollect.html",
            {"application": application},
            status=400,
        )
    saved.outside_job_remove_from_collection(application=application, collection=collection)
    messages.success(request, f"Took “{application.title}” out of “{collection.name}”.")
    return redirect(safe_next(request, f"{reverse('tracking:saved')}?collection={collection.pk}"))


@login_required
@require_http_methods(["GET", "POST"])
def collections(request: AuthedHttpRequest) -> HttpResponse:
    """The user's collections; POST creates one."""
    form = CollectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                collection = saved.collection_create(
                    user=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Created the collection “{collection.name}”.")
                return redirect(safe_next(request, reverse("tracking:saved_collections")))
        status = 400
    # Saved postings and jobs from other sites (Application.collections) alike.
    outside = Q(applications__posting__isnull=True, applications__archived=False)
    items = Collection.objects.for_user(request.user).annotate(
        count=Count("saved_jobs", distinct=True)
        + Count("applications", filter=outside, distinct=True)
    )
    return render(
        request,
        "tracking/saved/collections.html",
        {"form": form, "collections": items},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def collection_rename(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    collection = _collection(request, pk)
    form = CollectionForm(
        request.POST if request.method == "POST" else None, initial={"name": collection.name}
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                saved.collection_rename(collection=collection, name=form.cleaned_data["name"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Renamed the collection to “{collection.name}”.")
                return redirect("tracking:saved_collections")
        return render(
            request,
            "tracking/saved/collection_rename.html",
            {"form": form, "collection": collection},
            status=400,
        )
    return render(
        request, "tracking/saved/collection_rename.html", {"form": form, "collection": collection}
    )


@login_required
@require_POST
def collection_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    collection = _collection(request, pk)
    name = collection.name
    saved.collection_delete(collection=collection)
    messages.success(request, f"Deleted the collection “{name}”. Its jobs are still saved.")
    return redirect("tracking:saved_collections")


# --- compare -------------------------------------------------------------------------------


@login_required
@require_GET
def compare(request: AuthedHttpRequest) -> HttpResponse:
    """Two to four saved jobs side by side. Bad input answers with a message, never a 500;
    ids that are not among the user's saved jobs answer 404 (without saying whose they are)."""
    try:
        ids = saved_selectors.parse_compare_ids(request.GET.getlist("ids"))
        comparison = saved_selectors.compare_saved_jobs(user=request.user, ids=ids)
    except saved_selectors.CompareError as exc:
        return render(
            request, "tracking/saved/compare.html", {"error": exc.message}, status=exc.status
        )
    return render(request, "tracking/saved/compare.html", {"comparison": comparison})
