"""Celery tasks of the staff imports: they look rows up and call services, nothing more."""

from __future__ import annotations

from celery import shared_task

from jobs.imports.services import (
    ImportJobBusy,
    import_job_run,
    import_jobs_purge_files,
    import_jobs_recover,
)

# A busy import job (locked by another worker) is tried again every 30 s for longer than the
# import's hard time limit.
IMPORT_BUSY_COUNTDOWN = 30
IMPORT_BUSY_RETRIES = 30


@shared_task(
    name="jobs.tasks.run_import_job",
    bind=True,
    acks_late=True,
    ignore_result=True,
    soft_time_limit=10 * 60,
    time_limit=11 * 60,
    max_retries=IMPORT_BUSY_RETRIES,
)
def run_import_job(self, job_id: int) -> None:
    """Import a staff upload in the background (jobs/imports/services.py: claim, run, report)."""
    try:
        import_job_run(job_id=job_id)
    except ImportJobBusy as exc:
        raise self.retry(exc=exc, countdown=IMPORT_BUSY_COUNTDOWN) from exc


@shared_task(name="jobs.tasks.recover_import_jobs")
def recover_import_jobs() -> int:
    """Beat: queue again the import jobs whose message was lost."""
    return import_jobs_recover()


@shared_task(name="jobs.tasks.purge_import_files")
def purge_import_files() -> int:
    """Beat: drop the uploaded files of imports that finished long ago."""
    return import_jobs_purge_files()
