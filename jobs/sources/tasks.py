"""Celery tasks of live sources: look the source up, claim it, call the service. jobs/tasks.py
imports them so that autodiscovery registers them; the explicit `name=` keeps the names the beat
schedule (config/settings.py) and queued messages use."""

from __future__ import annotations

from celery import shared_task

from jobs.models import Source
from jobs.sources import services


@shared_task(name="jobs.sources.tasks.run_due_sources")
def run_due_sources() -> int:
    """Beat, every minute: enqueue the sources whose next run has come (jittered)."""
    return len(services.sources_run_due())


@shared_task(
    name="jobs.sources.tasks.sync_source",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=15 * 60,
    time_limit=16 * 60,
)
def sync_source(source_id: int) -> str:
    if not services.source_claim(source_id=source_id):
        return "busy"  # another run holds it; a killed run's lease runs out and the next run goes
    try:
        source = Source.objects.select_related("company").filter(pk=source_id).first()
        if source is None:
            return "gone"
        return services.source_sync(source=source).status
    finally:
        services.source_release(source_id=source_id)
