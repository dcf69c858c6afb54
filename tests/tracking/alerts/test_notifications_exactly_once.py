"""Exactly once, against the real Redis broker and real Celery worker processes: due reminders
are scanned by two beats at once, the first worker is SIGKILLed in the middle of the batch, a
second worker finishes it, and every reminder reaches exactly one sent message."""

from __future__ import annotations

import signal
import time
from datetime import timedelta

import pytest

from tests.tracking.alerts.exactly_once import (
    duplicates_in,
    make_due_reminders,
    scan_twice_at_once,
    start_worker,
    stop,
    wait_for,
)
from tests.tracking.alerts.outbox_backend import read_outbox
from tracking.alerts import services as notifications
from tracking.models import EmailStatus, Notification, Reminder, ReminderStatus

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_every_due_reminder_is_emailed_exactly_once_through_a_killed_worker(outbox):
    make_due_reminders(users=200, per_user=5)  # 1,000 reminders
    first = start_worker(outbox, hold_after=60)
    try:
        scan_twice_at_once(limit=50)  # two beats; 50 a batch so they interleave
        assert Reminder.objects.filter(status=ReminderStatus.PENDING).count() == 0
        assert Notification.objects.count() == 1000
        carriers = Notification.objects.filter(sent_with__isnull=True).count()
        assert 200 <= carriers < 1000  # grouped: one email per user per scan batch
        # The worker stops answering "SMTP" after 60 messages: kill it in the middle.
        assert wait_for(lambda: len(read_outbox(outbox)) >= 60, 30)
        assert wait_for(
            lambda: Notification.objects.filter(lease_until__isnull=False).count() >= 2, 10
        )
    finally:
        stop(first, signal.SIGKILL)
    sent_before_kill = len(read_outbox(outbox))
    assert sent_before_kill == 60

    second = start_worker(outbox)
    try:
        # Beat's sweeper re-enqueues what the dead worker held (its leases expire after 3 s) and
        # everything still queued gets delivered twice: the claim keeps that to one email.
        # Every task is delivered twice, as after a redelivery of everything unacknowledged.
        notifications._enqueue(
            list(Notification.objects.filter(sent_with__isnull=True).values_list("pk", flat=True))
        )

        def sweep():
            notifications.requeue_unsent(older_than=timedelta(0))

        assert wait_for(
            lambda: not Notification.objects.exclude(email_status=EmailStatus.SENT).exists(),
            45,
            every=0.5,
            tick=sweep,
        )
        time.sleep(1)  # let the duplicate deliveries still queued finish (they send nothing)
    finally:
        log = stop(second)
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
    make_due_reminders(users=20, per_user=5)
    worker = start_worker(outbox, skip_claim=True)
    try:
        notifications.scan_due_reminders(limit=50)
        carriers = Notification.objects.filter(sent_with__isnull=True).count()
        # Every task delivered twice (a redelivery after a lost ack, or a second beat's sweep).
        notifications._enqueue(
            list(Notification.objects.filter(sent_with__isnull=True).values_list("pk", flat=True))
        )
        assert wait_for(lambda: len(read_outbox(outbox)) >= 2 * carriers, 30)
    finally:
        stop(worker)
    result = duplicates_in(read_outbox(outbox))
    assert result["duplicate_message_ids"]
    assert result["reminders_sent_twice"]
