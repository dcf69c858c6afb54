"""Celery task of the job summary: look the posting up, call the service. Registered through
jobs/tasks.py (autodiscovery) under its first name, jobs.summary_tasks.summarize_posting."""

from __future__ import annotations

from celery import shared_task

from jobs.models import Posting
from jobs.summary.services import posting_summary_refresh


@shared_task(
    name="jobs.summary_tasks.summarize_posting",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=60,
    time_limit=90,
)
def summarize_posting(posting_id: int) -> bool:
    posting = Posting.objects.select_related("company__group").filter(pk=posting_id).first()
    if posting is None:
        return False
    return posting_summary_refresh(posting=posting)
