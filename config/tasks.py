from celery import shared_task

from config import heartbeat as heartbeats

HEARTBEAT_KEY = heartbeats.SCHEDULED_KEY  # what the scheduled task stamps


@shared_task
def heartbeat() -> None:
    """Beat schedules this every minute; the stamp shows that scheduled tasks reach a worker."""
    heartbeats.stamp(heartbeats.SCHEDULED_KEY)


@shared_task(bind=True, max_retries=8, default_retry_delay=60, acks_late=True)
def send_outbox_emails(self, ids: list[int]) -> dict:
    """Send these outbox rows (config/outbox.py); an SMTP error retries with a back-off."""
    from config.outbox import outbox_send

    try:
        return outbox_send(ids=ids)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task
def requeue_outbox_emails() -> int:
    """Beat, every minute: re-enqueue outbox rows whose task was lost."""
    from config.outbox import outbox_requeue

    return outbox_requeue()


@shared_task
def sweep_media_orphans() -> int:
    """Beat, daily: uploaded files no row references (config/media.py)."""
    from config.media import media_orphans_sweep

    return len(media_orphans_sweep())
