"""Celery tasks of tracking: look rows up and call tracking/alerts/services.py, nothing more."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from tracking.alerts import services as notifications


@shared_task
def scan_notifications() -> dict[str, int]:
    """Beat, every minute: every scanner, then re-enqueue carriers whose task was lost."""
    return notifications.run_scanners()


@shared_task(
    bind=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=notifications.MAX_EMAIL_ATTEMPTS - 1,
)
def send_notification_email(self, notification_id: int) -> str:
    return notifications.notification_send(notification_id=notification_id)


@shared_task(
    bind=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=notifications.MAX_EMAIL_ATTEMPTS - 1,
)
def send_notification_emails(self, notification_ids: list[int]) -> dict[int, str]:
    """A batch of carriers (the scanners enqueue SEND_CHUNK at a time); each is claimed on its own row."""
    return notifications.notifications_send(ids=notification_ids)
