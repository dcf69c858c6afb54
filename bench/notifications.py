"""Notifications benchmark: N due reminders (default 10,000, one per user, so one email each)
scanned and sent by one Celery worker over the real Redis broker.

    .venv/bin/python bench/notifications.py
    .venv/bin/python bench/notifications.py --reminders 10000 --concurrency 2  # default: CPU count

The data lives in a database of its own (`bench_jobtrail_notifications`) on the embedded
PostgreSQL, or on the server of DATABASE_URL. Email goes to the test recording backend (one
JSON line per message in a file: no SMTP server here), so the figure is rendering + claiming +
stamping + the broker, not network delivery. The clock starts before the scan and stops when
every notification is stamped sent. Target: <= 60 s for 10,000.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from board import bootstrap  # noqa: E402


def build(count: int) -> None:
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from tracking.models import Application, Notification, Reminder, Stage

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE tracking_notification, tracking_reminder CASCADE")
    User.objects.filter(email__startswith="bench-ntf-").delete()
    people = User.objects.bulk_create(
        [
            User(email=f"bench-ntf-{i}@example.com", password=make_password(None))
            for i in range(count)
        ],
        batch_size=2000,
    )
    stages = Stage.objects.bulk_create(
        [Stage(user=u, name="Saved", key="saved") for u in people], batch_size=2000
    )
    apps = Application.objects.bulk_create(
        [
            Application(user=u, stage=s, company_name=f"Company {i % 500}", title="Engineer")
            for i, (u, s) in enumerate(zip(people, stages, strict=True))
        ],
        batch_size=2000,
    )
    due = timezone.now() - timedelta(minutes=1)
    Reminder.objects.bulk_create(
        [Reminder(application=a, due_at=due, message="Follow up") for a in apps], batch_size=2000
    )
    assert Notification.objects.count() == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--database", default="bench_jobtrail_notifications")
    args = parser.parse_args()
    os.environ.setdefault("JOBTRAIL_TEST_REDIS_DB", "12")
    bootstrap(args.database)

    from django.conf import settings

    from config.celery import app
    from tracking.alerts import services as notifications
    from tracking.models import EmailStatus, Notification

    print(f"building {args.reminders:,} due reminders ...", flush=True)
    build(args.reminders)
    outbox = Path(tempfile.mkdtemp()) / "outbox.jsonl"
    env = {
        **os.environ,
        "REDIS_URL": settings.REDIS_URL,
        "JOBTRAIL_EMBEDDED_REDIS": "0",
        "EMAIL_URL": "locmem://",
        "EMAIL_BACKEND": "tests.tracking.alerts.outbox_backend.RecordingEmailBackend",
        "JOBTRAIL_TEST_OUTBOX": str(outbox),
    }
    app.control.purge()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING",
         f"--concurrency={args.concurrency}", "--pool=prefork", "--without-gossip",
         "--without-mingle", "--hostname=bench-ntf@%h"],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("the worker did not start")
        start = time.perf_counter()
        claimed = notifications.scan_due_reminders()
        scanned = time.perf_counter() - start
        pending = Notification.objects.exclude(email_status=EmailStatus.SENT)
        while pending.exists():
            if time.perf_counter() - start > 600:
                raise SystemExit("not done after 600 s")
            time.sleep(0.25)
        elapsed = time.perf_counter() - start
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    lines = outbox.read_text().splitlines() if outbox.exists() else []
    distinct = len({line.split('"message_id": ', 1)[1].split(",", 1)[0] for line in lines})
    print(f"reminders claimed: {claimed:,} (scan {scanned:.2f} s)")
    print(f"messages: {len(lines):,} sent, {distinct:,} distinct Message-IDs")
    print(f"time: {elapsed:.1f} s (target <= 60 s) · {len(lines) / elapsed:.0f} messages/s")
    print(f"worker: 1 process group, --concurrency={args.concurrency}")


if __name__ == "__main__":
    main()
