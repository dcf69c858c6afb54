"""Celery task of the posting life cycle: look rows up, call the service."""

from __future__ import annotations

from celery import shared_task

from jobs.employer import services


@shared_task(name="jobs.tasks.expire_postings")
def expire_postings() -> int:
    """Beat: published postings past expires_at become expired (one idempotent UPDATE)."""
    return services.postings_expire()
