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

import contextlib
import fcntl
import json
import os
import time

from django.core.mail.backends.base import BaseEmailBackend


@contextlib.contextmanager
def _locked(path: str, mode: int):
    """A lock beside the outbox: writers hold it exclusively while they count and append (so two
    pool processes cannot both see 59 of 60 and both send), readers hold it shared."""
    with open(f"{path}.lock", "a", encoding="utf-8") as lock:
        fcntl.flock(lock, mode)
        yield  # closing the file releases the lock


def _read(path: str) -> list[dict]:
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def read_outbox(path: str) -> list[dict]:
    """Every record so far, never half a line."""
    with _locked(path, fcntl.LOCK_SH):
        return _read(path)


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
            record = {
                "message_id": message.extra_headers.get("Message-ID", ""),
                "to": list(message.to),
                "notification": message.extra_headers.get("X-Jobtrail-Notification", ""),
                "subject": message.subject,
            }
            if tag:
                record["worker"] = tag
            line = json.dumps(record) + "\n"
            with _locked(path, fcntl.LOCK_EX):
                sent = [m for m in _read(path) if not tag or m.get("worker") == tag]
                hold = hold_after and len(sent) >= hold_after
                if not hold:
                    _append(path, line)
            if hold:
                _hold(path, tag, release)  # outside the lock: other workers go on
                with _locked(path, fcntl.LOCK_EX):
                    _append(path, line)
        return len(email_messages)


def _append(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line)
