"""Staff imports in the background: an upload becomes an `ImportJob` row, a Celery task runs it.

1. **Upload** (`import_job_create`): the file's envelope (size, encoding, format, header, row
   count) is checked at once by `importers.check_file`, so a file that cannot be imported is
   answered in the request and nothing is saved. A file that passes is stored in the row (bytes in
   PostgreSQL: web and worker may be different containers) and `run_import_job` is enqueued when
   the row is committed.
2. **Run** (`import_job_run`): the task claims the job (queued → running, one more attempt) in a
   short transaction the status page can see, then, in a second transaction that holds the job's
   row lock, calls `importers.import_postings` and stores its report (→ done). The import and the
   "done" stamp commit together: a worker killed mid-import leaves nothing imported and the job
   "running"; acks_late + reject-on-worker-lost deliver the message again and the next delivery
   runs the whole file again. Re-running is safe because the import is idempotent on
   (source, external_id). A delivery that finds the job finished does nothing; one that finds its
   row locked (another worker is importing it, or PostgreSQL has not yet seen that a killed
   worker's connection is gone) tries again a little later (`ImportJobBusy`).
3. **Failure**: an exception in the import (a bug, the soft time limit, a lost database) rolls the
   import back and marks the job failed with the error; a job whose worker died `MAX_ATTEMPTS`
   times is failed instead of being run again.
4. **Recovery** (`import_jobs_recover`, beat): a message can still be lost (a hard time limit acks
   it, a broker restart without a snapshot). Unfinished jobs that nobody holds and that have waited
   longer than `STALE_AFTER` are queued again.
5. **Retry** (`import_job_retry`, staff): a failed job whose file is still stored goes back to
   queued with a fresh set of attempts and runs again from step 2; the upload (who, when, the
   file and its options) stays as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateformat import format as format_date

from jobs.imports.importers import ImportReport, check_file, import_postings
from jobs.models import ImportJob, ImportJobStatus

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Longer than the task's hard time limit (jobs/imports/tasks.py: run_import_job), so a running import is
# never taken for a lost one.
STALE_AFTER = dt.timedelta(minutes=15)
RECENT_JOBS = 20
KEEP_FILES_DAYS = 30  # uploaded files are dropped this long after their import finished


def _enqueue(job_ids: list[int]) -> None:
    from jobs.imports.tasks import run_import_job

    def send() -> None:
        for job_id in job_ids:
            run_import_job.delay(job_id)

    transaction.on_commit(send)


def import_job_create(
    *,
    by: User,
    data: bytes,
    filename: str,
    source: str,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportJob:
    """Check the file's envelope, store it and enqueue its import. Raises
    `importers.FileRejected` (and saves nothing) when the file cannot be imported at all."""
    fmt, rows = check_file(data, filename)
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=by,
            filename=filename[:255],
            size=len(data),
            format=fmt,
            rows=rows,
            data=data,
            source=source,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
        )
        _enqueue([job.pk])
    return job


def _report_dict(report: ImportReport) -> dict:
    data = dataclasses.asdict(report)
    data["summary"] = report.summary()
    return data


def _fail(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).exclude(status=ImportJobStatus.DONE).update(
        status=ImportJobStatus.FAILED, failure=message[:2000], finished_at=timezone.now()
    )


class ImportJobBusy(Exception):
    """The job is unfinished but its row is locked: another worker is importing it, or the
    database has not yet noticed that a killed worker's connection is gone. The task tries again
    later; by then the job is finished (nothing to do) or free (it runs)."""


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run one import job (the task's body); see the module docstring. Returns the finished job,
    or None when there was nothing to do (finished already, or gone); raises `ImportJobBusy` when
    another transaction holds the unfinished job."""
    unfinished = ImportJob.objects.defer("data", "report").filter(
        pk=job_id, status__in=ImportJob.ACTIVE
    )
    with transaction.atomic():
        job = unfinished.select_for_update(skip_locked=True).first()
        if job is None:
            if unfinished.exists():
                raise ImportJobBusy(job_id)
            return None
        if job.attempts >= MAX_ATTEMPTS:
            _fail(
                job_id,
                f"The import stopped {job.attempts} times without finishing (the worker was "
                "stopped or ran out of memory); nothing was saved. Split the file and try again.",
            )
            return ImportJob.objects.defer("data").get(pk=job_id)
        job.status = ImportJobStatus.RUNNING
        job.attempts = F("attempts") + 1
        job.started_at = timezone.now()
        job.save(update_fields=["status", "attempts", "started_at"])

    try:
        with transaction.atomic():
            job = (
                ImportJob.objects.select_for_update(skip_locked=True)
                .filter(pk=job_id, status=ImportJobStatus.RUNNING)
                .first()
            )
            if job is None:
                if unfinished.exists():
                    raise ImportJobBusy(job_id)
                return None
            report = import_postings(
                bytes(job.data),
                filename=job.filename,
                source=job.source,
                skip_invalid=job.skip_invalid,
                dry_run=job.dry_run,
            )
            job.status = ImportJobStatus.DONE
            job.finished_at = timezone.now()
            job.accepted = report.ok
            job.format = report.format or job.format
            job.rows = report.rows or job.rows
            job.created = report.created
            job.updated = report.updated
            job.unchanged = report.unchanged
            job.skipped = len(report.skipped)
            job.problems = len(report.errors)
            job.summary = report.summary()
            job.report = _report_dict(report)
            job.failure = ""
            job.save(
                update_fields=[
                    "status",
                    "finished_at",
                    "accepted",
                    "format",
                    "rows",
                    "created",
                    "updated",
                    "unchanged",
                    "skipped",
                    "problems",
                    "summary",
                    "report",
                    "failure",
                ]
            )
    except ImportJobBusy:
        raise
    except Exception as exc:
        log.exception("import job %s failed", job_id)
        _fail(
            job_id,
            f"The import stopped with an error and nothing was saved: "
            f"{type(exc).__name__}: {exc}".rstrip(": "),
        )
    return ImportJob.objects.defer("data").get(pk=job_id)


class ImportJobNotRetryable(ValueError):
    """The job cannot be run again: it is not failed, or its file was deleted. The message says
    which, in words for the status page."""


def import_job_retry(*, job_id: int, by: User) -> ImportJob:
    """Queue a failed job again (staff's "Run this import again"): under the row's lock, a failed
    job whose file is still stored goes back to queued with no attempts, no failure and no
    start/finish stamps, and its task is enqueued on commit. Raises `ImportJobNotRetryable` when
    the job is not failed (a second click finds it queued, running or done) or its file was
    purged, and `ImportJob.DoesNotExist` when there is no such job; nothing changes then."""
    with transaction.atomic():
        job = ImportJob.objects.defer("data", "report").select_for_update().get(pk=job_id)
        if job.status == ImportJobStatus.QUEUED:
            raise ImportJobNotRetryable("This import is already queued.")
        if job.status == ImportJobStatus.RUNNING:
            raise ImportJobNotRetryable("This import is running now.")
        if job.status != ImportJobStatus.FAILED:
            raise ImportJobNotRetryable(
                "This import has finished; to import the file again, upload it again."
            )
        if job.file_purged_at is not None:
            deleted = format_date(timezone.localtime(job.file_purged_at), "j M Y")
            raise ImportJobNotRetryable(f"The file was deleted on {deleted}; upload it again.")
        log.info(
            "import job %s queued again by user %s after: %s", job.pk, by.pk, job.failure[:200]
        )
        job.status = ImportJobStatus.QUEUED
        job.attempts = 0
        job.failure = ""
        job.started_at = None
        job.finished_at = None
        job.enqueued_at = timezone.now()
        job.save(
            update_fields=[
                "status",
                "attempts",
                "failure",
                "started_at",
                "finished_at",
                "enqueued_at",
            ]
        )
        _enqueue([job.pk])
    return job


def import_jobs_recover(*, now: dt.datetime | None = None) -> int:
    """Beat: queue again the unfinished jobs whose message was lost (see the module docstring).
    A job some worker is importing holds its row lock and is skipped. Returns how many."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    with transaction.atomic():
        ids = list(
            ImportJob.objects.select_for_update(skip_locked=True)
            .filter(status__in=ImportJob.ACTIVE, enqueued_at__lt=cutoff)
            .filter(Q(status=ImportJobStatus.QUEUED) | Q(started_at__lt=cutoff))
            .values_list("pk", flat=True)[:100]
        )
        if ids:
            ImportJob.objects.filter(pk__in=ids).update(
                status=ImportJobStatus.QUEUED, enqueued_at=now or timezone.now()
            )
            _enqueue(ids)
    return len(ids)


def import_jobs_purge_files(
    *, now: dt.datetime | None = None, keep_days: int = KEEP_FILES_DAYS
) -> int:
    """Beat: drop the bytes of files imported (or failed) more than `keep_days` ago; the job, its
    counts and its report stay. Uploads can be 10 MB each: kept forever they would be most of
    the database. Returns how many files were dropped."""
    now = now or timezone.now()
    return (
        ImportJob.objects.filter(
            status__in=[ImportJobStatus.DONE, ImportJobStatus.FAILED],
            finished_at__lt=now - dt.timedelta(days=keep_days),
            file_purged_at__isnull=True,
        )
        .defer("data", "report")
        .update(data=b"", file_purged_at=now)
    )


def import_jobs_recent(*, limit: int = RECENT_JOBS):
    """The upload page's list: newest first, without the files and reports."""
    return ImportJob.objects.defer("data", "report").select_related("created_by")[:limit]
