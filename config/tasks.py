from celery import shared_task

from config import heartbeat as heartbeats


@shared_task
def heartbeat() -> None:
    """Beat schedules this every minute; the stamp shows that scheduled tasks reach a worker."""
    heartbeats.stamp(heartbeats.SCHEDULED_KEY)
