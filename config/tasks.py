from celery import shared_task
from django.core.cache import cache

HEARTBEAT_KEY = "celery:heartbeat"


@shared_task
def heartbeat() -> None:
    """Beat runs this every minute; /healthz reads the stamp to tell whether beat and a worker live."""
    from django.utils import timezone

    cache.set(HEARTBEAT_KEY, timezone.now().isoformat(), timeout=300)


@shared_task
def sweep_media_orphans() -> int:
    """Beat, daily: uploaded files no row references (config/media.py)."""
    from config.media import media_orphans_sweep

    return len(media_orphans_sweep())
