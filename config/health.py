"""What /healthz checks: the database, Redis, and whether a Celery worker answers a ping."""

from django.conf import settings
from django.db import connection

from config.celery import app as celery_app


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def check_redis() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping())
    except Exception:
        return False


def check_worker(timeout: float = 1.0) -> bool:
    try:
        return bool(celery_app.control.ping(timeout=timeout))
    except Exception:
        return False


def health_report() -> dict[str, bool]:
    redis_ok = check_redis()
    return {
        "database": check_database(),
        "redis": redis_ok,
        "worker": redis_ok and check_worker(),
    }
