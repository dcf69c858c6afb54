"""Keeping a clipped job: the writes behind the API, the paste page and the bookmarklet.

One rule for all three: the same job is one record. A job that is a posting on our board is
saved or tracked as that posting (tracking.saved.services / tracking.applications.services do the work); any other job
becomes an Application with the page's own fields, in the first stage (keyed "saved", named "Interested") when it is only saved,
and in the collection named, if any (Application.collections: /saved/ lists it there), and is recognised again by its canonical URL or by company + title + location. Everything
happens in one transaction: a bad stage or collection leaves nothing behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.urls import Resolver404, resolve

from accounts.models import User
from jobs.clip.types import Clip
from jobs.models import Posting
from tracking.models import Application, Collection, SavedJob, Stage

ACTIONS = ("save", "track", "preview")


@dataclass
class ClipResult:
    clip: Clip
    action: str
    record: Application | SavedJob | None = None
    posting: Posting | None = None  # the board posting this job is, when it is one
    created: bool = False
    messages: list[str] = field(default_factory=list)

    @property
    def duplicate(self) -> bool:
        return self.record is not None and not self.created

    @property
    def url(self) -> str:
        if isinstance(self.record, Application):
            return self.record.get_absolute_url()
        if isinstance(self.record, SavedJob):
            return self.record.posting.get_absolute_url()
        return self.posting.get_absolute_url() if self.posting else ""

    @property
    def kind(self) -> str:
        if isinstance(self.record, Application):
            return "application"
        return "saved_job" if isinstance(self.record, SavedJob) else ""


def _valid_url(url: str) -> str:
    url = (url or "").strip()[:500]
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return ""
    return url


def board_posting_for(clip: Clip, *, site_host: str = "") -> Posting | None:
    """The posting of our board this job is: our own posting page, the posting's apply URL, or
    the same company and title."""
    visible = Posting.objects.visible().select_related("company")
    for url in filter(None, [clip.url, clip.canonical_url]):
        parts = urlsplit(url)
        if site_host and parts.netloc.lower() == site_host.lower():
            try:
                match = resolve(parts.path)
            except Resolver404:
                match = None
            if match and match.view_name == "jobs:posting":
                found = visible.filter(pk=match.kwargs["pk"]).first()
                if found:
                    return found
    urls = {u for u in (clip.url, clip.canonical_url, clip.apply_url) if u}
    if urls:
        found = visible.filter(apply_url__in=urls).order_by("-published_at").first()
        if found:
            return found
    if clip.title and clip.company:
        return (
            visible.filter(title__iexact=clip.title, company__name__iexact=clip.company)
            .order_by("-published_at")
            .first()
        )
    return None


def clipped_application_for(*, user: User, clip: Clip) -> Application | None:
    """An external job this user already keeps: same canonical URL, or same company + title +
    location."""
    mine = Application.objects.for_user(user).filter(archived=False)
    same = Q(pk__in=[])
    if clip.canonical_url:
        same |= Q(canonical_url=clip.canonical_url[:500])
    if clip.title and clip.company:
        same |= Q(
            company_name__iexact=clip.company[:200],
            title__iexact=clip.title[:200],
            location__iexact=clip.location[:200],
        )
    return mine.filter(same).order_by("pk").first()


def _stage(*, user: User, name: str, action: str) -> Stage:
    from tracking.applications.services import default_stage

    name = (name or "").strip()
    if not name:
        return default_stage(user=user)  # "Saved" (or the first column when it is archived)
    found = (
        Stage.objects.for_user(user)
        .visible()
        .filter(Q(name__iexact=name) | Q(key=name.lower()))
        .first()
    )
    if found is None:
        raise ValidationError({"stage": f"You have no stage called “{name}”."})
    return found


def _collection(*, user: User, name: str) -> Collection | None:
    from tracking.saved.services import collection_create

    name = " ".join((name or "").split())
    if not name:
        return None
    found = Collection.objects.for_user(user).filter(name__iexact=name).first()
    if found is not None:
        return found
    try:
        return collection_create(user=user, name=name)
    except ValidationError as exc:  # a name too long: the field here is "collection"
        raise ValidationError({"collection": " ".join(exc.messages)}) from exc


def _check(clip: Clip, action: str) -> None:
    if action not in ACTIONS:
        raise ValidationError({"action": "Say “save”, “track” or “preview”."})


@transaction.atomic
def clip_keep(
    *,
    user: User,
    clip: Clip,
    action: str,
    stage: str = "",
    collection: str = "",
    note: str = "",
    site_host: str = "",
) -> ClipResult:
    """Save or track the clipped job (or, for "preview", only say what it would find)."""
    from tracking.applications.services import (
        application_create_external,
        application_create_from_posting,
        note_add,
    )
    from tracking.saved.services import (
        NOTE_MAX,
        outside_job_add_to_collection,
        saved_job_save,
        saved_job_set_note,
        saved_jobs_move_to_collection,
    )

    _check(clip, action)
    result = ClipResult(clip=clip, action=action)
    result.posting = board_posting_for(clip, site_host=site_host)
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": "Keep the note to 2,000 characters."})
    if action == "preview":
        posting = result.posting
        result.record = (
            (
                Application.objects.for_user(user).active().filter(posting=posting).first()
                or SavedJob.objects.for_user(user).filter(posting=posting).first()
            )
            if posting
            else clipped_application_for(user=user, clip=clip)
        )
        return result

    target_stage = (
        _stage(user=user, name=stage, action=action) if action == "track" or stage else None
    )
    if result.posting is not None:
        posting = result.posting
        tracked = Application.objects.for_user(user).active().filter(posting=posting).first()
        if action == "save" and not stage and tracked is not None:
            # Already on the board: saving it too would say nothing new.
            result.record = tracked
            result.messages.append("You already track this job: nothing was added.")
            return result
        if action == "save" and not stage:
            saved, result.created = saved_job_save(user=user, posting=posting)
            target = _collection(user=user, name=collection)
            if target is not None:
                saved_jobs_move_to_collection(user=user, saved_jobs=[saved], collection=target)
            if note and not saved.note:
                saved_job_set_note(saved_job=saved, note=note[:NOTE_MAX])
            result.record = saved
        else:
            app, result.created = application_create_from_posting(
                user=user, posting=posting, stage=target_stage
            )
            if note and result.created:
                note_add(application=app, body=note)
            result.record = app
        if not result.created:
            result.messages.append("You already keep this job: nothing was added.")
        return result

    existing = clipped_application_for(user=user, clip=clip)
    if existing is not None:
        result.record = existing
        result.messages.append("You already keep this job: nothing was added.")
        return result
    missing = clip.missing()
    if missing:
        raise ValidationError(
            {name: f"No {name} was found on the page: add it by hand." for name in missing}
        )
    app = application_create_external(
        user=user,
        company_name=clip.company[:200],
        title=clip.title[:200],
        url=_valid_url(clip.apply_url) or _valid_url(clip.url),
        location=clip.location[:200],
        posting_text=clip.description_text,
        source=_source(clip),
        stage=target_stage or _stage(user=user, name="", action="save"),
    )
    app.canonical_url = _valid_url(clip.canonical_url)
    app.expires_at = clip.valid_through
    app.salary = clip.salary[:100]
    app.workplace = clip.workplace[:20]
    app.employment_type = clip.employment_type[:50]
    app.save(
        update_fields=["canonical_url", "expires_at", "salary", "workplace", "employment_type"]
    )
    if note:
        note_add(application=app, body=note)
    target = _collection(user=user, name=collection)
    if target is not None:
        outside_job_add_to_collection(application=app, collection=target)
    result.record, result.created = app, True
    return result


def _source(clip: Clip) -> str:
    host = urlsplit(clip.url).netloc.lower()
    host = re.sub(r"^www\.", "", host)
    return f"Clipped from {host}"[:100] if host else "Clipped"
