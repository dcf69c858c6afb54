"""A test-only email backend that records every message across processes (Celery workers are
other processes): one JSON line per message appended to the file named by
JOBTRAIL_TEST_OUTBOX, with the Message-ID, the recipients and the notification carrier id.

JOBTRAIL_TEST_OUTBOX_HOLD_AFTER=N makes every send after the N-th hang before it is recorded
(an SMTP server that stopped answering), so a test can SIGKILL a worker in the middle of a
batch while its processes hold claimed, unsent notifications."""

from __future__ import annotations

import json
import os
import time

from django.core.mail.backends.base import BaseEmailBackend


def read_outbox(path: str) -> list[dict]:
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


class RecordingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        path = os.environ["JOBTRAIL_TEST_OUTBOX"]
        hold_after = int(os.environ.get("JOBTRAIL_TEST_OUTBOX_HOLD_AFTER", "0") or 0)
        for message in email_messages:
            if hold_after and len(read_outbox(path)) >= hold_after:
                while True:  # hang like a dead SMTP connection until the worker is killed
                    time.sleep(1)
            record = {
                "message_id": message.extra_headers.get("Message-ID", ""),
                "to": list(message.to),
                "notification": message.extra_headers.get("X-Jobtrail-Notification", ""),
                "subject": message.subject,
            }
            line = (json.dumps(record) + "\n").encode()
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)  # one O_APPEND write per message: lines never interleave
            finally:
                os.close(fd)
        return len(email_messages)
