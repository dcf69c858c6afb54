"""Live sources: add and edit them, schedule them, and sync one.

A sync reads the whole board first (jobs/sources/http.py, one connector), outside any
transaction; then it applies what changed in ONE transaction with the source's row locked:

* new job → a posting, published or sent to the moderation queue by the source's trust level
  (or, when the same job is already on the board through another source or a repost, a link to
  that posting: one job, one posting);
* changed job (its mapped content hash differs) → the posting updated, search vector now,
  summary refreshed after commit (the summary engine's task); from a source whose trust is
  "through the moderation queue", a published posting goes back to review by the employers' rule
  (jobs.employer.services.posting_edit_to_review);
* job gone from the board → the posting closed (unless another source still lists it); the
  people who saved or track it hear "closed by the employer" from the notification scanner
  (tracking.alerts.services.scan_closed_postings, keyed by a dedupe key: exactly once);
* unchanged job → nothing written, but for its expiry (below).

Expiry: a posting from a source expires at the job's validThrough where the board gives a usable
one (mapping.valid_until), else SOURCES_LISTING_DAYS after the sync that last saw it listed. A
sync that still sees the job moves that forward once less than half of it is left (so a posting
is written for this at most every ~15 days, and an unchanged re-sync writes nothing); an expired
posting its board lists again is published again, as an employer's extend does. A board that
stops answering lets its postings expire through the usual path (jobs.employer.services.
postings_expire), with the "saved posting about to expire" emails before.

A worker killed mid-apply leaves nothing (PostgreSQL rolls the transaction back) and the next run
does the whole diff again. A fault (HTTP error, timeout, HTML or broken JSON, an answer over the
size cap) writes only the source's health and one SourceRun: nothing else changes.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from config.page_cache import bump_generation
from jobs.employer.services import posting_edit_to_review
from jobs.models import (
    Company,
    CompanyStatus,
    Location,
    Posting,
    PostingSource,
    PostingStatus,
    Source,
    SourceKind,
    SourceRun,
    SourceStatus,
    SourceTrust,
)
from jobs.sources.connectors import connector
from jobs.sources.http import Fetcher, FetchError, NotModified
from jobs.sources.mapping import (
    Mapped,
    MappingError,
    external_id_of,
    job_hash,
    kept,
    map_job,
    normalise,
)

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger(__name__)

# Closing more than this many postings, and more than this share of the live ones, in one sync
# is held for a person to confirm: a board that answers nothing or a fraction is more often
# broken than emptied.
SAFETY_MIN_CLOSE = 5
SAFETY_FRACTION = 0.5
DEDUPE_SIMILARITY = 0.6  # pg_trgm similarity of two descriptions' text to call them one job
MAX_PROBLEMS = 50

# Tests stand in here to stop a sync mid-apply (the SIGKILL test); None in production.
after_each_job: Callable[[int], None] | None = None


class SourceError(Exception):
    """A use case refused; the message is meant for the person who asked."""


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- managing sources ------------------------------------------------------------------------


def _url_for(kind: str, endpoint: str) -> str:
    try:
        return connector(kind).endpoint_url(endpoint)
    except ValueError as exc:
        raise SourceError(str(exc)) from exc


@transaction.atomic
def source_create(
    *,
    kind: str,
    endpoint: str,
    company: Company,
    trust: str = SourceTrust.REVIEW,
    schedule_minutes: int = 60,
    default_country: str = "",
    by: User | None = None,
) -> Source:
    if kind not in SourceKind.values:
        raise SourceError(f"“{kind}” is not a kind of source.")
    url = _url_for(kind, endpoint)
    if Source.objects.filter(kind=kind, url=url).exists():
        raise SourceError(f"This {kind} board is already a source.")
    return Source.objects.create(
        kind=kind,
        endpoint=endpoint.strip(),
        url=url,
        company=company,
        trust=trust,
        schedule_minutes=max(1, schedule_minutes),
        default_country=default_country,
        created_by=by,
        next_run_at=timezone.now(),  # the next beat picks it up
    )


@transaction.atomic
def source_update(
    *,
    source: Source,
    endpoint: str,
    trust: str,
    schedule_minutes: int,
    default_country: str = "",
) -> Source:
    url = _url_for(source.kind, endpoint)
    if Source.objects.filter(kind=source.kind, url=url).exclude(pk=source.pk).exists():
        raise SourceError(f"This {source.kind} board is already a source.")
    if url != source.url:
        source.etag = source.last_modified = ""
    source.endpoint, source.url = endpoint.strip(), url
    source.trust = trust
    source.schedule_minutes = max(1, schedule_minutes)
    source.default_country = default_country
    source.save()
    return source


def source_set_paused(*, source: Source, paused: bool) -> Source:
    source.paused = paused
    fields = ["paused"]
    if not paused:
        source.next_run_at = timezone.now()
        fields.append("next_run_at")
    source.save(update_fields=fields)
    return source


def source_sync_request(*, source: Source, allow_mass_close: bool = False) -> None:
    """Sync now, in the background (staff's and employers' button)."""
    from jobs.sources.tasks import sync_source

    if allow_mass_close:
        Source.objects.filter(pk=source.pk).update(allow_mass_close=True)
    source_id = source.pk
    transaction.on_commit(lambda: sync_source.delay(source_id))


# --- scheduling ------------------------------------------------------------------------------


def _jitter(minutes: int) -> dt.timedelta:
    """Up to a tenth of the interval (at most five minutes) so sources added together spread."""
    spread = min(minutes * 60 * 0.1, 300)
    return dt.timedelta(minutes=minutes, seconds=random.uniform(0, spread))  # noqa: S311


def sources_run_due(*, now: dt.datetime | None = None, limit: int = 200) -> list[int]:
    """Beat: move each due source's next run forward (jittered) and enqueue its sync, in one
    UPDATE … RETURNING over rows taken with SKIP LOCKED: two beats at once never enqueue a source
    twice. A lost task costs one period; the task's claim keeps two runs from overlapping."""
    from jobs.sources.tasks import sync_source

    now = now or timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {Source._meta.db_table} AS s
                SET next_run_at = %s + make_interval(mins => s.schedule_minutes)
                    + make_interval(secs => random() * least(s.schedule_minutes * 6, 300))
                WHERE s.id IN (
                    SELECT id FROM {Source._meta.db_table}
                    WHERE NOT paused AND next_run_at <= %s
                    ORDER BY next_run_at LIMIT %s FOR UPDATE SKIP LOCKED
                )
                RETURNING s.id
                """,  # noqa: S608 - table name only
                [now, now, limit],
            )
            ids = [row[0] for row in cursor.fetchall()]
        transaction.on_commit(lambda: [sync_source.delay(pk) for pk in ids])
    return ids


def source_claim(*, source_id: int, now: dt.datetime | None = None) -> bool:
    """Take the source for one run (a conditional UPDATE); False when another run holds it and
    its lease has not run out (a killed run's lease does, so the next run finishes the job)."""
    now = now or timezone.now()
    lease = dt.timedelta(seconds=int(_setting("SOURCES_CLAIM_SECONDS", 1200)))
    return (
        Source.objects.filter(pk=source_id)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + lease)
        == 1
    )


def source_release(*, source_id: int) -> None:
    Source.objects.filter(pk=source_id).update(claimed_until=None)


# --- the sync --------------------------------------------------------------------------------


@dataclass
class SyncResult:
    status: str = SourceStatus.OK
    listed: int = 0
    created: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0
    failed: int = 0
    merged: int = 0  # new links to a posting already on the board (one job, one posting)
    extended: int = 0  # listed postings whose expiry moved forward (or that came back from expired)
    unlisted: int = 0  # links this source dropped (the posting may stay open through another)
    error: str = ""
    held_reason: str = ""
    problems: list[str] = field(default_factory=list)
    posting_ids: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        names = (
            "listed", "created", "updated", "closed", "unchanged", "failed", "merged", "extended"
        )  # fmt: skip
        return {k: getattr(self, k) for k in names}

    def line(self) -> str:
        c = self.counts()
        return (
            f"{c['created']} created, {c['updated']} updated, {c['closed']} closed, "
            f"{c['unchanged']} unchanged, {c['failed']} failed"
            + (f", {c['merged']} merged" if c["merged"] else "")
        )


def _record(source: Source, result: SyncResult, started: dt.datetime) -> None:
    """The source's health and one SourceRun (inside the caller's transaction, if any)."""
    now = timezone.now()
    SourceRun.objects.create(
        source=source,
        started_at=started,
        finished_at=now,
        status=result.status,
        error=result.error or result.held_reason,
        problems=result.problems[:MAX_PROBLEMS],
        **{k: v for k, v in result.counts().items() if k not in ("merged", "extended")},
    )
    fields = {
        "status": result.status,
        "last_run_at": now,
        "last_counts": result.counts(),
        "degraded": result.status == SourceStatus.DEGRADED,
        "last_error": result.error,
        "held_reason": result.held_reason,
    }
    if result.status == SourceStatus.DEGRADED:
        fields["consecutive_failures"] = source.consecutive_failures + 1
    else:
        fields["consecutive_failures"] = 0
        fields["last_success_at"] = now
    for name, value in fields.items():
        setattr(source, name, value)
    Source.objects.filter(pk=source.pk).update(**fields)


def _degrade(source: Source, message: str, started: dt.datetime, retry_after=None) -> SyncResult:
    result = SyncResult(status=SourceStatus.DEGRADED, error=message)
    with transaction.atomic():
        _record(source, result, started)
        if retry_after:
            later = timezone.now() + dt.timedelta(seconds=retry_after)
            Source.objects.filter(pk=source.pk, next_run_at__lt=later).update(next_run_at=later)
    log.warning("source %s degraded: %s", source.pk, message)
    return result


def source_sync(*, source: Source) -> SyncResult:
    """Read the board and apply the difference (see the module's docstring)."""
    started = timezone.now()
    module = connector(source.kind)
    known: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for ident, version, digest in PostingSource.objects.filter(
        source=source, gone_at__isnull=True
    ).values_list("external_id", "version", "content_hash"):
        known[ident], hashes[ident] = version, digest
    fetcher = Fetcher(
        etag=source.etag, last_modified=source.last_modified, conditional=module.CONDITIONAL
    )
    try:
        try:
            jobs = module.fetch(fetcher, source.url, known=known)
        except NotModified:
            if not _expiry_due(source, started):
                result = SyncResult(status=SourceStatus.NOT_MODIFIED, unchanged=source.live_jobs)
                result.listed = source.live_jobs
                with transaction.atomic():
                    _record(source, result, started)
                return result
            # "As before" is not enough when a posting's expiry needs extending: the sync must
            # see the board list it. Read it in full (rare: at most every ~15 days a posting).
            fetcher = Fetcher(etag="", last_modified="", conditional=module.CONDITIONAL)
            jobs = module.fetch(fetcher, source.url, known=known)
    except FetchError as exc:
        return _degrade(source, str(exc), started, exc.retry_after)
    except Exception as exc:  # a connector tripping over an odd answer degrades, never crashes
        log.exception("source %s: reading the answer failed", source.pk)
        return _degrade(source, f"Could not read the answer: {exc.__class__.__name__}: {exc}",
                        started)  # fmt: skip
    result = SyncResult(listed=len(jobs))
    mapped: dict[str, Mapped] = {}
    country = str(source.default_country or "")
    for job in jobs:
        if job.keep or hashes.get(external_id_of(job)) == job_hash(job, default_country=country):
            item = kept(job)
            mapped.setdefault(item.external_id, item)
            continue
        try:
            item = map_job(job, default_country=country, fallback_url=source.url, now=started)
        except MappingError as exc:
            result.failed += 1
            result.problems.append(str(exc))
            continue
        mapped.setdefault(item.external_id, item)
    with transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        _apply(locked, mapped, result)
        locked.etag, locked.last_modified = fetcher.new_etag, fetcher.new_last_modified
        if result.held_reason:  # read the board in full next time, not "304: as before"
            locked.etag = locked.last_modified = ""
        Source.objects.filter(pk=locked.pk).update(
            etag=locked.etag,
            last_modified=locked.last_modified,
            live_jobs=len(mapped),
            allow_mass_close=False if not result.held_reason else locked.allow_mass_close,
        )
        _record(locked, result, started)
        if (
            result.created or result.updated or result.closed or result.merged
            or result.extended or result.unlisted
        ):  # fmt: skip
            # Bulk writes send no signal: the public pages (a posting's status, expiry and its
            # "Listed at" sources) are stale on commit.
            bump_generation()
    if result.closed:
        _notify_closed()
    source.refresh_from_db()
    return result


def _notify_closed() -> None:
    """The saved/tracking users of the postings just closed hear it now rather than at the next
    minute's beat; the scanner's dedupe key makes running it twice harmless."""
    from tracking.alerts.services import scan_closed_postings

    try:
        scan_closed_postings()
    except Exception:  # the beat's scanner will do it within a minute
        log.exception("notifying closed postings failed; the beat will retry")


# --- applying --------------------------------------------------------------------------------


class _Places:
    """Location rows for (city, region, country) keys: one read, one insert for the missing."""

    def __init__(self, keys: set[tuple[str, str, str]]) -> None:
        self.ids: dict[tuple[str, str, str], int] = {}
        if not keys:
            return
        q = Q()
        for city, region, country in keys:
            q |= Q(city=city, region=region, country=country)
        for loc in Location.objects.filter(q):
            self.ids[(loc.city, loc.region, str(loc.country))] = loc.pk  # str(Country) is its code
        missing = [k for k in keys if k not in self.ids]
        if missing:
            Location.objects.bulk_create(
                [Location(city=c, region=r, country=n) for c, r, n in missing],
                ignore_conflicts=True,
            )
            q = Q()
            for city, region, country in missing:
                q |= Q(city=city, region=region, country=country)
            for loc in Location.objects.filter(q):
                self.ids[(loc.city, loc.region, str(loc.country))] = (
                    loc.pk
                )  # str(Country) is its code


def _set_places(postings: dict[int, list[tuple[str, str, str]]], places: _Places) -> None:
    through = Posting.locations.through
    through.objects.filter(posting_id__in=list(postings)).delete()
    through.objects.bulk_create(
        [
            through(posting_id=pk, location_id=places.ids[key])
            for pk, keys in postings.items()
            for key in keys
            if key in places.ids
        ],
        ignore_conflicts=True,
    )


def _apply(source: Source, mapped: dict[str, Mapped], result: SyncResult) -> None:
    now = timezone.now()
    links = {
        link.external_id: link
        # The posting's status and expiry come with its link (one query): an unchanged job may
        # still need its expiry extended.
        for link in PostingSource.objects.filter(source=source).annotate(
            posting_status=F("posting__status"), posting_expires_at=F("posting__expires_at")
        )
    }
    live = [link for link in links.values() if link.gone_at is None]
    gone = [link for link in live if link.external_id not in mapped]

    held = (
        len(gone) > SAFETY_MIN_CLOSE
        and len(gone) > SAFETY_FRACTION * len(live)
        and not source.allow_mass_close
    )
    if held:
        result.status = SourceStatus.HELD
        result.held_reason = (
            f"The board listed {len(mapped)} job{'s' if len(mapped) != 1 else ''} where "
            f"{len(live)} were live: closing {len(gone)} postings at once looks like a broken "
            "board, so none were closed. Check the board; if the jobs really are gone, use "
            "“Sync now and allow closing”."
        )

    new = [m for m in mapped.values() if m.external_id not in links]
    changed: list[tuple[PostingSource, Mapped]] = []
    extend: dict[int, tuple[dt.datetime, str]] = {}
    for item in mapped.values():
        link = links.get(item.external_id)
        if link is None:
            continue
        if item.keep or (link.content_hash == item.content_hash and link.gone_at is None):
            result.unchanged += 1
            wanted = _extension(
                link.valid_through, link.posting_status, link.posting_expires_at, now
            )
            if wanted:
                extend[link.posting_id] = (wanted, link.posting_status)
        else:
            changed.append((link, item))

    places = _Places({key for m in new for key in m.places} | {
        key for _, m in changed for key in m.places
    })  # fmt: skip
    touched: list[int] = []
    _update(source, changed, places, result, touched, now)
    _create(source, new, gone if not held else [], places, result, touched, now, extend)
    if not held:
        _close(source, gone, result, now)
    for pk in touched:  # written in full above
        extend.pop(pk, None)
    _extend(extend, result, now)
    if touched:
        from jobs.board.search import refresh_search_vectors

        refresh_search_vectors(touched)
        from jobs.summary.tasks import summarize_posting

        ids = list(touched)
        transaction.on_commit(lambda: [summarize_posting.delay(pk) for pk in ids])
    result.posting_ids = touched


def _lifetime() -> dt.timedelta:
    return dt.timedelta(days=int(_setting("SOURCES_LISTING_DAYS", 30)))


def _expiry(item: Mapped, now: dt.datetime) -> dt.datetime:
    """A new or changed job's expiry: the board's validThrough, else the listing lifetime."""
    return item.expires_at or now + _lifetime()


EXTENDABLE = (PostingStatus.PUBLISHED, PostingStatus.SUBMITTED, PostingStatus.EXPIRED)


def _extension(
    valid_through: dt.datetime | None, status: str, current: dt.datetime | None, now: dt.datetime
) -> dt.datetime | None:
    """The new expiry of a posting a source still lists, or None to write nothing (the common
    case). With a validThrough: that date when the posting's is earlier (a later one set by
    another source that lists it stands). Without: the listing lifetime from now, once less
    than half of it is left, so each posting is written for this at most every ~15 days."""
    if status not in EXTENDABLE:  # closed, draft or rejected: not this sync's to revive
        return None
    if valid_through is not None:
        return valid_through if current is None or current < valid_through else None
    lifetime = _lifetime()
    if current is None or current - now < lifetime / 2:
        return now + lifetime
    return None


def _expiry_due(source: Source, now: dt.datetime) -> bool:
    """Whether a posting this source lists without a validThrough has less than half of its
    listing lifetime left (or none, or expired): one indexed query, on a 304 only."""
    return (
        PostingSource.objects.filter(
            source=source,
            gone_at__isnull=True,
            valid_through__isnull=True,
            posting__status__in=EXTENDABLE,
        )
        .filter(
            Q(posting__expires_at__isnull=True) | Q(posting__expires_at__lt=now + _lifetime() / 2)
        )
        .exists()
    )


def _extend(wanted: dict[int, tuple[dt.datetime, str]], result: SyncResult, now) -> None:
    """Write the extended expiries, one UPDATE per date (the lifetime ones share one); an
    expired posting back within its dates is published again (as posting_extend does)."""
    if not wanted:
        return
    by_date: dict[dt.datetime, list[int]] = defaultdict(list)
    for pk, (expires_at, _status) in wanted.items():
        by_date[expires_at].append(pk)
    for expires_at, pks in by_date.items():
        Posting.objects.filter(pk__in=pks, status__in=EXTENDABLE).update(expires_at=expires_at)
    Posting.objects.filter(
        pk__in=[pk for pk, (_e, status) in wanted.items() if status == PostingStatus.EXPIRED],
        status=PostingStatus.EXPIRED,
        expires_at__gt=now,
    ).update(status=PostingStatus.PUBLISHED, updated_at=now)
    result.extended += len(wanted)


def _status_fields(source: Source, now: dt.datetime) -> dict:
    # A company staff have not approved yet is not public: its synced jobs wait for review too.
    if source.trust == SourceTrust.PUBLISH and source.company.status == CompanyStatus.APPROVED:
        return {"status": PostingStatus.PUBLISHED, "published_at": now, "submitted_at": None}
    return {"status": PostingStatus.SUBMITTED, "submitted_at": now, "published_at": None}


def _update(source, changed, places, result, touched, now) -> None:
    relocate: dict[int, list] = {}
    for link, item in changed:
        fields = item.posting_fields()
        posting = Posting.objects.select_for_update().get(pk=link.posting_id)
        for name, value in fields.items():
            setattr(posting, name, value)
        posting.expires_at = _expiry(item, now)
        update = [*fields, "expires_at", "updated_at"]
        if link.gone_at is not None and posting.status == PostingStatus.CLOSED:
            # The job is back on the board: reopen what the sync closed.
            for name, value in _status_fields(source, now).items():
                setattr(posting, name, value)
            posting.closed_at = None
            update += ["status", "published_at", "submitted_at", "closed_at"]
        else:
            if posting.status == PostingStatus.EXPIRED and posting.expires_at > now:
                posting.status = PostingStatus.PUBLISHED  # listed again, within its dates
                update.append("status")
            if source.trust == SourceTrust.REVIEW:
                # A change through the moderation queue: an employer's edit's rule.
                update += posting_edit_to_review(posting=posting, now=now)
        posting.save(update_fields=list(dict.fromkeys(update)))
        PostingSource.objects.filter(pk=link.pk).update(
            content_hash=item.content_hash,
            version=item.version,
            url=item.url,
            gone_at=None,
            valid_through=item.expires_at,
        )
        relocate[posting.pk] = item.places
        touched.append(posting.pk)
        result.updated += 1
        if after_each_job:
            after_each_job(result.updated)
    if relocate:
        _set_places(relocate, places)


def _candidates(source: Source, leaving: set[int]) -> dict[str, list[tuple[int, frozenset]]]:
    """Open postings of the same company (by normalised name) by normalised title, with their
    places: what a new job may be a duplicate of. A posting this source still lists under another
    id is not a candidate (two equal titles on one board are two jobs), unless it is leaving."""
    name = normalise(source.company.name)
    first = name.split(" ")[0] if name else ""
    company_ids = [
        c.pk
        for c in Company.objects.filter(name__icontains=first).only("pk", "name")
        if normalise(c.name) == name
    ] or [source.company_id]
    listed_here = set(
        PostingSource.objects.filter(source=source, gone_at__isnull=True)
        .exclude(posting_id__in=leaving)
        .values_list("posting_id", flat=True)
    )
    rows = (
        Posting.objects.filter(
            company_id__in=company_ids,
            status__in=[PostingStatus.PUBLISHED, PostingStatus.SUBMITTED],
        )
        .exclude(pk__in=listed_here)
        .values_list("pk", "title")
    )
    found: dict[str, list] = defaultdict(list)
    pks = []
    for pk, title in rows:
        found[normalise(title)].append(pk)
        pks.append(pk)
    where: dict[int, set] = defaultdict(set)
    for pk, city, country in Posting.locations.through.objects.filter(
        posting_id__in=pks
    ).values_list("posting_id", "location__city", "location__country"):
        where[pk].add((city.lower(), country))
    return {t: [(pk, frozenset(where[pk])) for pk in ids] for t, ids in found.items()}


def _similar(pk: int, description: str) -> bool:
    if not description:
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT similarity(regexp_replace(description, '<[^>]+>', ' ', 'g'),"
            " regexp_replace(%s, '<[^>]+>', ' ', 'g')) FROM jobs_posting WHERE id = %s",
            [description, pk],
        )
        row = cursor.fetchone()
    return bool(row) and (row[0] or 0) >= DEDUPE_SIMILARITY


def _create(source, new, leaving_links, places, result, touched, now, extend) -> None:
    if not new:
        return
    candidates = _candidates(source, {link.posting_id for link in leaving_links})
    fresh: list[tuple[Posting, Mapped]] = []
    merged: list[tuple[int, Mapped]] = []
    used: set[int] = set()
    for item in new:
        where = frozenset((c.lower(), n) for c, _r, n in item.places)
        match = next(
            (
                pk
                for pk, at in candidates.get(normalise(item.title), [])
                if pk not in used and at == where and _similar(pk, item.description)
            ),
            None,
        )
        if match is not None:
            used.add(match)
            merged.append((match, item))
            continue
        fresh.append(
            (
                Posting(
                    company_id=source.company_id,
                    slug=slugify(item.title)[:200] or "job",  # bulk_create skips save()
                    **item.posting_fields(),
                    **_status_fields(source, now),
                    expires_at=_expiry(item, now),
                ),
                item,
            )
        )
    if fresh:
        Posting.objects.bulk_create([p for p, _ in fresh])
        _set_places({p.pk: item.places for p, item in fresh}, places)
    rows = [(p.pk, item) for p, item in fresh] + merged
    PostingSource.objects.bulk_create(
        [
            PostingSource(
                posting_id=pk,
                source=source,
                external_id=item.external_id,
                url=item.url,
                content_hash=item.content_hash,
                version=item.version,
                first_seen_at=now,
                valid_through=item.expires_at,
            )
            for pk, item in rows
        ]
    )
    for n, (posting, _) in enumerate(fresh, 1):
        touched.append(posting.pk)
        if after_each_job:
            after_each_job(result.updated + n)
    result.created += len(fresh)
    result.merged += len(merged)
    if merged:
        # The posting already on the board is listed once more: its expiry as if listed here.
        current = {
            pk: (status, expires_at)
            for pk, status, expires_at in Posting.objects.filter(
                pk__in=[pk for pk, _ in merged]
            ).values_list("pk", "status", "expires_at")
        }
        for pk, item in merged:
            status, expires_at = current[pk]
            wanted = _extension(item.expires_at, status, expires_at, now)
            if wanted:
                extend[pk] = (wanted, status)
        result.problems += [
            f"job {item.external_id} is posting {pk}, already on the board (linked, not copied)"
            for pk, item in merged
        ]


def _close(source, gone, result, now) -> None:
    if not gone:
        return
    result.unlisted = PostingSource.objects.filter(pk__in=[link.pk for link in gone]).update(
        gone_at=now
    )
    ids = {link.posting_id for link in gone}
    still_listed = set(
        # another source, or this one under a new id (a repost merged above)
        PostingSource.objects.filter(posting_id__in=ids, gone_at__isnull=True).values_list(
            "posting_id", flat=True
        )
    )
    result.closed = Posting.objects.filter(
        pk__in=ids - still_listed,
        status__in=[PostingStatus.PUBLISHED, PostingStatus.SUBMITTED],
    ).update(status=PostingStatus.CLOSED, closed_at=now, updated_at=now)


def result_as_dict(result: SyncResult) -> dict:
    return asdict(result)
