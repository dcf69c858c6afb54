"""Heartbeats: the Celery worker and beat say they live by writing a time stamp to Redis.

/healthz reads the stamps (config/health.py) instead of pinging a worker and waiting for the
answer, which cost every health request up to a second of a web worker. Each process keeps a
daemon thread that writes its stamp every HEARTBEAT_INTERVAL seconds; a stamp older than
STALE_AFTER seconds (or gone: it expires) means the process is down or hung. The beat-scheduled
task `config.tasks.heartbeat` also stamps when it runs, which shows that what beat schedules
reaches a worker.
"""

from __future__ import annotations

import logging
import threading
import time

from celery import signals
from django.core.cache import cache

log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL = 15.0
STALE_AFTER = 60.0
WORKER_KEY = "health:worker"
BEAT_KEY = "health:beat"
SCHEDULED_KEY = "health:scheduled"  # written by the beat-scheduled task, on a worker


def stamp(key: str) -> None:
    try:
        cache.set(key, time.time(), timeout=int(STALE_AFTER * 3))
    except Exception:  # Redis down: /healthz will say so; the process keeps going
        log.warning("could not write the %s heartbeat", key, exc_info=True)


def _keep_stamping(key: str, stop: threading.Event) -> None:
    while not stop.is_set():
        stamp(key)
        stop.wait(HEARTBEAT_INTERVAL)


_threads: dict[str, threading.Event] = {}


def start(key: str) -> None:
    """Stamp `key` now and every HEARTBEAT_INTERVAL seconds from a daemon thread."""
    if key in _threads:
        return
    stop = _threads[key] = threading.Event()
    threading.Thread(
        target=_keep_stamping, args=(key, stop), name=f"heartbeat:{key}", daemon=True
    ).start()


def stop(key: str) -> None:
    if event := _threads.pop(key, None):
        event.set()


@signals.worker_ready.connect
def _worker_ready(sender=None, **kwargs) -> None:
    start(WORKER_KEY)


@signals.worker_shutdown.connect
def _worker_shutdown(sender=None, **kwargs) -> None:
    stop(WORKER_KEY)


@signals.beat_init.connect
def _beat_init(sender=None, **kwargs) -> None:
    start(BEAT_KEY)
