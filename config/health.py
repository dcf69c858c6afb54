"""What /healthz checks, cheaply: the database (SELECT 1), Redis (reading the heartbeats) and
whether the Celery worker and beat wrote a heartbeat lately (config/heartbeat.py). Nothing here
waits on another process: a Celery ping cost every call up to a second of a web worker."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import connection

from config.heartbeat import BEAT_KEY, SCHEDULED_KEY, STALE_AFTER, WORKER_KEY


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _age(stamp) -> float | None:
    return round(time.time() - float(stamp), 1) if stamp is not None else None


def health_report() -> dict:
    """`ok` and the details behind it (the details are for staff or the HEALTHZ_TOKEN)."""
    database = check_database()
    try:
        stamps = cache.get_many([WORKER_KEY, BEAT_KEY, SCHEDULED_KEY])
        redis_ok = True
    except Exception:
        stamps, redis_ok = {}, False
    ages = {key: _age(stamps.get(key)) for key in (WORKER_KEY, BEAT_KEY, SCHEDULED_KEY)}

    def fresh(key: str) -> bool:
        age = ages[key]
        return age is not None and age <= STALE_AFTER

    report = {
        "database": database,
        "redis": redis_ok,
        "worker": redis_ok and fresh(WORKER_KEY),
        "beat": redis_ok and fresh(BEAT_KEY),
    }
    return {
        "ok": all(report.values()),
        **report,
        # Seconds since each heartbeat (None: none yet); the scheduled task runs every minute.
        "ages": {
            "worker": ages[WORKER_KEY],
            "beat": ages[BEAT_KEY],
            "scheduled_task": ages[SCHEDULED_KEY],
        },
    }
