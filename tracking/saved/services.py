"""Saved jobs and collections: the use cases. Keyword-only, typed, named <entity>_<action>.

Errors the user can fix are raised as ValidationError keyed by the form field they belong to;
nothing is saved when one is raised. Every function takes rows already looked up through their
owner (`for_user`) or checks ownership itself (ids coming from a form).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User
from jobs.models import Posting
from tracking.models import Application, Collection, SavedJob

NOTE_MAX = 280
COLLECTION_NAME_MAX = 60
UNDO_SALT = "tracking.saved.undo"
UNDO_MAX_AGE = 24 * 3600


# --- saving -------------------------------------------------------------------------------


def saved_job_save(*, user: User, posting: Posting) -> tuple[SavedJob, bool]:
    """Save a posting. Idempotent: saving it again returns the existing row (False)."""
    saved, created = SavedJob.objects.get_or_create(user=user, posting=posting)
    return saved, created


@dataclass
class Removed:
    """What undo needs to put removed saved jobs back as they were."""

    user_id: int
    items: list[dict] = field(default_factory=list)  # posting_id, saved_at, note, collections

    def sign(self) -> str:
        return signing.dumps(asdict(self), salt=UNDO_SALT, compress=True)

    @classmethod
    def unsign(cls, token: str) -> Removed:
        data = signing.loads(token, salt=UNDO_SALT, max_age=UNDO_MAX_AGE)
        return cls(user_id=int(data["user_id"]), items=list(data["items"]))

    @property
    def count(self) -> int:
        return len(self.items)


@transaction.atomic
def saved_jobs_remove(*, user: User, saved_jobs: list[SavedJob]) -> Removed:
    """Unsave; returns what `saved_job_restore` needs to undo it."""
    removed = Removed(user_id=user.pk)
    ids = [s.pk for s in saved_jobs if s.user_id == user.pk]
    links: dict[int, list[int]] = {}
    for sid, cid in SavedJob.collections.through.objects.filter(savedjob_id__in=ids).values_list(
        "savedjob_id", "collection_id"
    ):
        links.setdefault(sid, []).append(cid)
    for s in saved_jobs:
        if s.user_id != user.pk:
            continue
        removed.items.append(
            {
                "posting_id": s.posting_id,
                "saved_at": s.saved_at.isoformat(),
                "note": s.note,
                "collections": links.get(s.pk, []),
            }
        )
    SavedJob.objects.for_user(user).filter(pk__in=ids).delete()
    return removed


def saved_job_remove(*, saved_job: SavedJob) -> Removed:
    return saved_jobs_remove(user=saved_job.user, saved_jobs=[saved_job])


@transaction.atomic
def saved_job_restore(*, user: User, removed: Removed) -> list[SavedJob]:
    """Undo a removal: the postings saved again with their date, note and (still existing, own)
    collections. Another user's token restores nothing."""
    if removed.user_id != user.pk:
        return []
    own = set(Collection.objects.for_user(user).values_list("pk", flat=True))
    postings = set(
        Posting.objects.filter(pk__in=[i["posting_id"] for i in removed.items]).values_list(
            "pk", flat=True
        )
    )
    restored = []
    for item in removed.items:
        if item["posting_id"] not in postings:
            continue
        saved_at = parse_datetime(item.get("saved_at") or "") or timezone.now()
        saved, _ = SavedJob.objects.get_or_create(
            user=user,
            posting_id=item["posting_id"],
            defaults={"saved_at": saved_at, "note": (item.get("note") or "")[:NOTE_MAX]},
        )
        keep = [c for c in item.get("collections") or [] if c in own]
        if keep:
            saved.collections.add(*keep)
        restored.append(saved)
    return restored


def saved_job_set_note(*, saved_job: SavedJob, note: str) -> SavedJob:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": f"Keep the note to {NOTE_MAX} characters ({len(note)} now)."}
        )
    saved_job.note = note
    saved_job.save(update_fields=["note"])
    return saved_job


# --- collections --------------------------------------------------------------------------


def _check_collection_name(*, user: User, name: str, exclude_pk: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Give the collection a name."})
    if len(name) > COLLECTION_NAME_MAX:
        raise ValidationError(
            {"name": f"Keep the name to {COLLECTION_NAME_MAX} characters ({len(name)} now)."}
        )
    clash = Collection.objects.for_user(user).filter(name__iexact=name)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": f"You already have a collection called “{name}”."})
    return name


def collection_create(*, user: User, name: str) -> Collection:
    name = _check_collection_name(user=user, name=name)
    try:
        with transaction.atomic():
            return Collection.objects.create(user=user, name=name)
    except IntegrityError as exc:  # a double submit raced past the check
        raise ValidationError({"name": f"You already have a collection called “{name}”."}) from exc


def collection_rename(*, collection: Collection, name: str) -> Collection:
    name = _check_collection_name(user=collection.user, name=name, exclude_pk=collection.pk)
    collection.name = name
    try:
        with transaction.atomic():
            collection.save(update_fields=["name"])
    except IntegrityError as exc:
        raise ValidationError({"name": f"You already have a collection called “{name}”."}) from exc
    return collection


def collection_delete(*, collection: Collection) -> None:
    """Delete the collection; its jobs stay saved (only the links go)."""
    collection.delete()


@transaction.atomic
def saved_jobs_move_to_collection(
    *, user: User, saved_jobs: list[SavedJob], collection: Collection, only: bool = False
) -> int:
    """Put saved jobs in a collection (they keep their other collections unless `only`)."""
    if collection.user_id != user.pk:
        raise ValidationError({"collection": "That collection is not one of yours."})
    ids = [s.pk for s in saved_jobs if s.user_id == user.pk]
    through = SavedJob.collections.through
    if only:
        through.objects.filter(savedjob_id__in=ids).exclude(collection=collection).delete()
    through.objects.bulk_create(
        [through(savedjob_id=sid, collection_id=collection.pk) for sid in ids],
        ignore_conflicts=True,
    )
    return len(ids)


def saved_job_set_collections(*, saved_job: SavedJob, collections: list[Collection]) -> SavedJob:
    if any(c.user_id != saved_job.user_id for c in collections):
        raise ValidationError({"collections": "That collection is not one of yours."})
    saved_job.collections.set(collections)
    return saved_job


@transaction.atomic
def saved_job_edit(*, saved_job: SavedJob, note: str, collections: list[Collection]) -> SavedJob:
    """The edit page's one save: the note and the collections together, or neither."""
    saved_job_set_note(saved_job=saved_job, note=note)
    saved_job_set_collections(saved_job=saved_job, collections=collections)
    return saved_job


@transaction.atomic
def saved_jobs_remove_from_collection(
    *, user: User, saved_jobs: list[SavedJob], collection: Collection
) -> int:
    if collection.user_id != user.pk:
        raise ValidationError({"collection": "That collection is not one of yours."})
    ids = [s.pk for s in saved_jobs if s.user_id == user.pk]
    deleted, _ = SavedJob.collections.through.objects.filter(
        savedjob_id__in=ids, collection=collection
    ).delete()
    return deleted


# --- outside jobs in collections ------------------------------------------------------------


def _check_outside(*, application: Application, collection: Collection) -> None:
    if collection.user_id != application.user_id:
        raise ValidationError({"collection": "That collection is not one of yours."})
    if application.posting_id is not None:
        # A board posting goes into collections as a saved job (SavedJob), never twice over.
        raise ValidationError({"collection": "Save this posting to put it in a collection."})


def outside_job_add_to_collection(*, application: Application, collection: Collection) -> None:
    """Put a job from another site (an Application without a posting) in a collection."""
    _check_outside(application=application, collection=collection)
    application.collections.add(collection)


def outside_job_remove_from_collection(*, application: Application, collection: Collection) -> None:
    """Take it out of the collection; the job stays on the board."""
    _check_outside(application=application, collection=collection)
    application.collections.remove(collection)


# --- start tracking -------------------------------------------------------------------------


def saved_jobs_start_tracking(*, user: User, saved_jobs: list[SavedJob]) -> tuple[int, int]:
    """Track each saved posting (tracking.applications.services.application_create_from_posting, which is
    idempotent). Returns (newly tracked, already tracked)."""
    from tracking.applications.services import application_create_from_posting

    created = existing = 0
    postings = Posting.objects.filter(
        pk__in=[s.posting_id for s in saved_jobs if s.user_id == user.pk]
    ).select_related("company")
    for posting in postings:
        _, new = application_create_from_posting(user=user, posting=posting)
        if new:
            created += 1
        else:
            existing += 1
    return created, existing


# --- anonymous "Save" that goes through login ------------------------------------------------

PENDING_SESSION_KEY = "tracking_pending_save"


def pending_save_store(session: SessionBase, *, posting_id: int) -> None:
    session[PENDING_SESSION_KEY] = int(posting_id)


def pending_save_perform(session: SessionBase, *, user: User) -> SavedJob | None:
    """After login: save the posting an anonymous visitor clicked Save on (once)."""
    posting_id = session.pop(PENDING_SESSION_KEY, None)
    if not posting_id:
        return None
    posting = Posting.objects.visible().filter(pk=posting_id).first()
    if posting is None:
        return None
    saved, _ = saved_job_save(user=user, posting=posting)
    saved.posting = posting
    return saved
