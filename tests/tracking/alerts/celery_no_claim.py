"""The negative control's Celery app: the real app, tasks and settings, with the send claim
taken out in each pool process (every delivery of a task sends, whatever the row says).
Production code carries no switch for this; the test injects it here."""

from datetime import timedelta

from celery.signals import worker_process_init

from config.celery import app

__all__ = ["app"]


def _claim_every_row(*, ids: list[int]) -> list[int]:
    """notifications_claim without its WHERE on status and lease: every id is "ours"."""
    from django.db import connection
    from django.utils import timezone

    from tracking.alerts import services
    from tracking.models import Notification

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Notification._meta.db_table} SET lease_until = %s, attempts = attempts + 1"  # noqa: S608
            " WHERE id = ANY(%s) RETURNING id",
            [timezone.now() + timedelta(seconds=services.lease_seconds()), list(ids)],
        )
        return [row[0] for row in cursor.fetchall()]


@worker_process_init.connect
def _remove_the_claim(**_kwargs) -> None:
    from tracking.alerts import services

    services.notifications_claim = _claim_every_row
