"""What the exactly-once tests share: real Celery worker processes that email through the
recording outbox (tests/tracking/outbox_backend.py), due reminders in bulk, two scanners at once,
and the checker that counts duplicates and missing emails."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.conftest import _database_url_for_tests
from tracking.alerts import services as notifications
from tracking.models import Notification, Reminder

BACKEND = "tests.tracking.alerts.outbox_backend.RecordingEmailBackend"


def services_env() -> dict[str, str]:
    """The environment of a child process (worker, web) that must see the test database and the
    test Redis database, never start embedded servers of its own, and mail through the test
    backend it is given."""
    return {
        **os.environ,
        "DATABASE_URL": _database_url_for_tests(),
        "REDIS_URL": settings.REDIS_URL,
        "JOBTRAIL_EMBEDDED_REDIS": "0",
        "JOBTRAIL_TESTING": "1",
        "EMAIL_URL": "locmem://",
    }


def spawn_worker(
    outbox: str,
    *,
    hold_after: int = 0,
    skip_claim: bool = False,
    lease: int = 3,
    tag: str = "",
    release: str = "",
) -> tuple[subprocess.Popen, str]:
    """Start a Celery worker process (two pool processes) on the test broker; returns it and the
    hostname it answers pings as. See outbox_backend for hold_after, tag and release.
    skip_claim: the worker runs tests/tracking/alerts/celery_no_claim.py's app instead of
    config's, the same tasks with the send claim taken out (the negative control)."""
    app = "tests.tracking.alerts.celery_no_claim" if skip_claim else "config"
    env = {
        **services_env(),
        "EMAIL_BACKEND": BACKEND,
        "JOBTRAIL_TEST_OUTBOX": outbox,
        "JOBTRAIL_TEST_OUTBOX_HOLD_AFTER": str(hold_after),
        "JOBTRAIL_TEST_OUTBOX_TAG": tag,
        "JOBTRAIL_TEST_OUTBOX_RELEASE": release,
        "NOTIFICATION_SEND_LEASE_SECONDS": str(lease),
    }
    hostname = f"ntf-{os.getpid()}-{time.monotonic_ns()}@%h"
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", app, "worker", "--loglevel=WARNING",
         "--concurrency=2", "--pool=prefork", f"--hostname={hostname}", "--without-gossip",
         "--without-mingle", "--without-heartbeat"],
        env=env,
        start_new_session=True,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    return proc, hostname.replace("%h", os.uname().nodename)


def await_worker(proc: subprocess.Popen, hostname: str, timeout: float = 60) -> None:
    """Wait until the worker answers a ping (it is consuming); kill it if it never does."""
    from config.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(destination=[hostname], timeout=0.5):
            return
        assert proc.poll() is None, "the Celery worker exited during start-up"
    stop(proc, signal.SIGKILL)
    raise RuntimeError(f"the Celery worker did not answer a ping within {timeout:.0f} s")


def start_worker(outbox: str, **options) -> subprocess.Popen:
    proc, hostname = spawn_worker(outbox, **options)
    await_worker(proc, hostname)
    return proc


def stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> str:
    """SIGKILL: the whole process group at once (a machine losing the worker). SIGTERM: the
    main process only, a warm shutdown. Returns what the process wrote to stderr (when piped)."""
    if proc.poll() is None:
        if sig == signal.SIGKILL:
            os.killpg(proc.pid, sig)
        else:
            os.kill(proc.pid, sig)
    try:
        _out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _out, err = proc.communicate()
    return err or ""


def wait_for(condition, timeout: float, every: float = 0.2, tick=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if tick:
            tick()
        time.sleep(every)
    return condition()


def make_due_reminders(users: int, per_user: int) -> None:
    """Bulk rows (no password hashing): users, one stage and application each, due reminders."""
    from accounts.models import User
    from tracking.models import Application, Stage

    tag = time.monotonic_ns()
    people = User.objects.bulk_create(
        [User(email=f"due{tag}-{i}@example.com", password="!") for i in range(users)]
    )
    stages = Stage.objects.bulk_create([Stage(user=u, name="Saved", key="saved") for u in people])
    apps = Application.objects.bulk_create(
        [
            Application(user=u, stage=st, company_name=f"Acme {i}", title="Backend developer")
            for i, (u, st) in enumerate(zip(people, stages, strict=True))
        ]
    )
    due = timezone.now() - timedelta(minutes=1)
    Reminder.objects.bulk_create(
        [
            Reminder(application=a, due_at=due, message="Follow up")
            for a in apps
            for _ in range(per_user)
        ]
    )


def scan_twice_at_once(limit: int) -> None:
    """Two beats at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def beat():
        try:
            barrier.wait()
            notifications.scan_due_reminders(limit=limit)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors


def duplicates_in(outbox: list[dict]) -> dict:
    """What the checker reports: Message-IDs and reminders sent more than once, and reminders
    never sent."""
    by_id = Counter(m["message_id"] for m in outbox)
    sent_carriers = Counter(int(m["notification"]) for m in outbox)
    carrier_of = {}
    for pk, sent_with, payload in Notification.objects.values_list("pk", "sent_with", "payload"):
        carrier_of[payload["reminder_id"]] = sent_with or pk
    reminder_ids = list(Reminder.objects.values_list("pk", flat=True))
    per_reminder = Counter({r: sent_carriers.get(carrier_of.get(r), 0) for r in reminder_ids})
    return {
        "duplicate_message_ids": {k: v for k, v in by_id.items() if v > 1},
        "reminders_sent_twice": [r for r, c in per_reminder.items() if c > 1],
        "reminders_never_sent": [r for r, c in per_reminder.items() if c == 0],
    }
