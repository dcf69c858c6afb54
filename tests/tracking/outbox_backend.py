"""A test-only email backend that records every message across processes (Celery workers are
other processes): one JSON line per message appended to the file named by
JOBTRAIL_TEST_OUTBOX, with the Message-ID, the recipients and the notification carrier id.

JOBTRAIL_TEST_OUTBOX_HOLD_AFTER=N makes every send after the N-th hang before it is recorded
(an SMTP server that stopped answering), so a test can SIGKILL a worker in the middle of a
batch while its processes hold claimed, unsent notifications.

With several workers on one outbox: JOBTRAIL_TEST_OUTBOX_TAG names the worker in each record
(`"worker"`) and makes N count only that worker's messages; a worker that starts to hang
creates `<outbox>.held.<tag>` so the test knows it is stuck mid-batch; and
JOBTRAIL_TEST_OUTBOX_RELEASE names a file whose appearance ends the hang (the server answers
again) instead of hanging until the process is killed."""

from __future__ import annotations

import fcntl
import json
import os
import time

from django.core.mail.backends.base import BaseEmailBackend


def read_outbox(path: str) -> list[dict]:
    """Every record so far. Writers hold an exclusive lock while they append, so a reader (another
    worker counting its messages) never sees half a line."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_SH)
        try:
            return [json.loads(line) for line in fh if line.strip()]
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def held_marker(path: str, tag: str) -> str:
    return f"{path}.held.{tag}"


def _hold(path: str, tag: str, release: str) -> None:
    """Hang like a dead SMTP connection: until the release file appears, or until killed."""
    with open(held_marker(path, tag or str(os.getpid())), "a", encoding="utf-8"):
        pass
    while not (release and os.path.exists(release)):
        time.sleep(0.2 if release else 1)


class RecordingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        path = os.environ["JOBTRAIL_TEST_OUTBOX"]
        hold_after = int(os.environ.get("JOBTRAIL_TEST_OUTBOX_HOLD_AFTER", "0") or 0)
        tag = os.environ.get("JOBTRAIL_TEST_OUTBOX_TAG", "")
        release = os.environ.get("JOBTRAIL_TEST_OUTBOX_RELEASE", "")
        for message in email_messages:
            if hold_after:
                sent = [m for m in read_outbox(path) if not tag or m.get("worker") == tag]
                if len(sent) >= hold_after:
                    _hold(path, tag, release)
            record = {
                "message_id": message.extra_headers.get("Message-ID", ""),
                "to": list(message.to),
                "notification": message.extra_headers.get("X-Jobtrail-Notification", ""),
                "subject": message.subject,
            }
            if tag:
                record["worker"] = tag
            line = (json.dumps(record) + "\n").encode()
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)  # readers wait for the whole line
                os.write(fd, line)  # one O_APPEND write per message: lines never interleave
            finally:
                os.close(fd)  # also releases the lock
        return len(email_messages)
