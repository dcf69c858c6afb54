from celery import shared_task
from django.core.cache import cache

HEARTBEAT_KEY = "celery:heartbeat"


@shared_task
def heartbeat() -> None:
    """Beat runs this every minute; /healthz reads the stamp to tell whether beat and a worker live."""
    from django.utils import timezone

    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=300)
