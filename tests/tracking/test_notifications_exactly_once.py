"""Exactly once, against the real Redis broker and real Celery worker processes: due reminders
are scanned by two beats at once, the first worker is SIGKILLed in the middle of the batch, a
second worker finishes it, and every reminder reaches exactly one sent message."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.conftest import _database_url_for_tests
from tests.tracking.outbox_backend import read_outbox
from tracking import notifications
from tracking.models import EmailStatus, Notification, Reminder, ReminderStatus

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BACKEND = "tests.tracking.outbox_backend.RecordingEmailBackend"


def _start_worker(outbox: str, *, hold_after: int = 0, skip_claim: bool = False, lease: int = 3):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for_tests(),
        "REDIS_URL": settings.REDIS_URL,
        "JOBTRAIL_EMBEDDED_REDIS": "0",
        "JOBTRAIL_TESTING": "1",
        "EMAIL_URL": "locmem://",
        "EMAIL_BACKEND": BACKEND,
        "JOBTRAIL_TEST_OUTBOX": outbox,
        "JOBTRAIL_TEST_OUTBOX_HOLD_AFTER": str(hold_after),
        "JOBTRAIL_TEST_SKIP_SEND_CLAIM": "1" if skip_claim else "0",
        "NOTIFICATION_SEND_LEASE_SECONDS": str(lease),
    }
    hostname = f"ntf-{os.getpid()}-{time.monotonic_ns()}@%h"
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING",
         "--concurrency=2", "--pool=prefork", f"--hostname={hostname}", "--without-gossip",
         "--without-mingle", "--without-heartbeat"],
        env=env,
        start_new_session=True,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    from config.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(destination=[hostname.replace("%h", os.uname().nodename)], timeout=0.5):
            return proc
        assert proc.poll() is None, "the Celery worker exited during start-up"
    _stop(proc, signal.SIGKILL)
    raise RuntimeError("the Celery worker did not answer a ping within 60 s")


def _stop(proc, sig=signal.SIGTERM) -> str:
    """SIGKILL: the whole process group at once (a machine losing the worker). SIGTERM: the
    main process only, a warm shutdown."""
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


def _wait(condition, timeout: float, every: float = 0.2, tick=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if tick:
            tick()
        time.sleep(every)
    return condition()


def _make_due_reminders(users: int, per_user: int) -> None:
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


def _scan_twice_at_once(limit: int) -> None:
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


@pytest.fixture
def outbox(tmp_path):
    from config.celery import app

    app.control.purge()
    yield str(tmp_path / "outbox.jsonl")
    app.control.purge()


def test_every_due_reminder_is_emailed_exactly_once_through_a_killed_worker(outbox):
    _make_due_reminders(users=200, per_user=5)  # 1,000 reminders
    first = _start_worker(outbox, hold_after=60)
    try:
        _scan_twice_at_once(limit=50)  # two beats; 50 a batch so they interleave
        assert Reminder.objects.filter(status=ReminderStatus.PENDING).count() == 0
        assert Notification.objects.count() == 1000
        carriers = Notification.objects.filter(sent_with__isnull=True).count()
        assert 200 <= carriers < 1000  # grouped: one email per user per scan batch
        # The worker stops answering "SMTP" after 60 messages: kill it in the middle.
        assert _wait(lambda: len(read_outbox(outbox)) >= 60, 30)
        assert _wait(
            lambda: Notification.objects.filter(lease_until__isnull=False).count() >= 2, 10
        )
    finally:
        _stop(first, signal.SIGKILL)
    sent_before_kill = len(read_outbox(outbox))
    assert sent_before_kill == 60

    second = _start_worker(outbox)
    try:
        # Beat's sweeper re-enqueues what the dead worker held (its leases expire after 3 s) and
        # everything still queued gets delivered twice: the claim keeps that to one email.
        # Every task is delivered twice, as after a redelivery of everything unacknowledged.
        notifications._enqueue(
            list(Notification.objects.filter(sent_with__isnull=True).values_list("pk", flat=True))
        )

        def sweep():
            notifications.requeue_unsent(older_than=timedelta(0))

        assert _wait(
            lambda: not Notification.objects.exclude(email_status=EmailStatus.SENT).exists(),
            45,
            every=0.5,
            tick=sweep,
        )
        time.sleep(1)  # let the duplicate deliveries still queued finish (they send nothing)
    finally:
        log = _stop(second)
    result = duplicates_in(read_outbox(outbox))
    assert result == {
        "duplicate_message_ids": {},
        "reminders_sent_twice": [],
        "reminders_never_sent": [],
    }
    assert len({m["message_id"] for m in read_outbox(outbox)}) == carriers
    assert "Traceback" not in log


def test_the_checker_catches_duplicates_when_the_send_claim_is_removed(outbox):
    """Negative control: the same scan, deliveries and checker, with the worker's claim off."""
    _make_due_reminders(users=20, per_user=5)
    worker = _start_worker(outbox, skip_claim=True)
    try:
        notifications.scan_due_reminders(limit=50)
        carriers = Notification.objects.filter(sent_with__isnull=True).count()
        # Every task delivered twice (a redelivery after a lost ack, or a second beat's sweep).
        notifications._enqueue(
            list(Notification.objects.filter(sent_with__isnull=True).values_list("pk", flat=True))
        )
        assert _wait(lambda: len(read_outbox(outbox)) >= 2 * carriers, 30)
    finally:
        _stop(worker)
    result = duplicates_in(read_outbox(outbox))
    assert result["duplicate_message_ids"]
    assert result["reminders_sent_twice"]
