"""Every email goes through a transactional outbox in PostgreSQL.

`OutboxEmailBackend` is the EMAIL_BACKEND: "sending" a message stores it as an `OutboxEmail` row
(tracking.models), in the transaction of the change that causes it, and after commit enqueues
`config.tasks.send_outbox_emails`. That enqueue may fail (Redis down) or its message may be lost
(Redis restarted before a worker took it): the row stays pending and the beat sweeper
(`outbox_requeue`, every minute) enqueues it again. The task claims each row with a conditional
UPDATE of `lease_until`, sends it with the real backend (EMAIL_DELIVERY_BACKEND: SMTP from
EMAIL_URL, or the development console), then stamps it sent; a failure releases the claim and
is retried, up to MAX_ATTEMPTS.

Notifications (tracking/alerts/services.py) have an outbox of their own (`Notification` rows with
the same claim): they send with `delivery_connection()`, straight to the real backend, so they
are not queued twice.
"""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from email.mime.base import MIMEBase
from email.policy import Policy, compat32
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

log = logging.getLogger(__name__)

OUTBOX_BACKEND = "config.outbox.OutboxEmailBackend"
MAX_ATTEMPTS = 8
LEASE_SECONDS = 300
SEND_CHUNK = 50


# --- serialization ---------------------------------------------------------------------------


class _StoredMIMEPart(MIMEBase):
    """A MIME attachment read back from its stored bytes. Django attaches a part as is only
    when it is a MIMEBase (a plain `email.message.Message` is refused), so the parser builds
    these, skipping MIMEBase.__init__ (its Content-Type and MIME-Version would come twice)."""

    def __init__(self, *, policy: Policy = compat32) -> None:
        Message.__init__(self, policy=policy)


def _attachment(item) -> dict:
    if isinstance(item, MIMEBase):
        return {"mime": base64.b64encode(item.as_bytes()).decode()}
    filename, content, mimetype = item
    if isinstance(content, str):
        return {"filename": filename, "text": content, "mimetype": mimetype}
    return {"filename": filename, "b64": base64.b64encode(content).decode(), "mimetype": mimetype}


def message_to_dict(message: EmailMessage) -> dict:
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "content_subtype": message.content_subtype,
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_attachment(a) for a in message.attachments],
    }


def message_from_dict(data: dict, *, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
        alternatives=[tuple(a) for a in data["alternatives"]],
        connection=connection,
    )
    message.content_subtype = data["content_subtype"]
    for item in data["attachments"]:
        if "mime" in item:
            part = message_from_bytes(base64.b64decode(item["mime"]), _class=_StoredMIMEPart)
            message.attach(part)
        elif "text" in item:
            message.attach(item["filename"], item["text"], item["mimetype"])
        else:
            message.attach(item["filename"], base64.b64decode(item["b64"]), item["mimetype"])
    return message


# --- the backend -----------------------------------------------------------------------------


def delivery_backend() -> str:
    """The backend that really sends (SMTP, console...): EMAIL_DELIVERY_BACKEND behind the
    outbox; EMAIL_BACKEND itself when the outbox is off (the test suite's locmem)."""
    if settings.EMAIL_BACKEND == OUTBOX_BACKEND:
        return settings.EMAIL_DELIVERY_BACKEND
    return settings.EMAIL_BACKEND


def delivery_connection(**kwargs):
    return get_connection(backend=delivery_backend(), **kwargs)


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from tracking.models import OutboxEmail

        rows = [
            OutboxEmail(
                subject=str(message.subject)[:998],
                recipients=", ".join(message.recipients())[:5000],
                message=message_to_dict(message),
            )
            for message in email_messages
            if message.recipients()
        ]
        if not rows:
            return 0
        try:
            with transaction.atomic():  # a savepoint inside the caller's transaction
                OutboxEmail.objects.bulk_create(rows)
        except Exception:
            if self.fail_silently:
                log.exception("could not store %d email(s) in the outbox", len(rows))
                return 0
            raise
        transaction.on_commit(partial(enqueue_send, [row.pk for row in rows]))
        return len(rows)


def enqueue_send(ids: list[int]) -> None:
    """Enqueue the send; never raise: with the broker down the rows wait for the sweeper."""
    from config.tasks import send_outbox_emails

    for start in range(0, len(ids), SEND_CHUNK):
        chunk = list(ids[start : start + SEND_CHUNK])
        try:
            send_outbox_emails.apply_async(args=[chunk], retry=False)
        except Exception as exc:  # noqa: BLE001 - the outbox row is the durable copy
            log.warning("outbox: could not enqueue %s (%s); the sweeper will", chunk, exc)


# --- sending ---------------------------------------------------------------------------------


def outbox_claim(*, ids: list[int]) -> list[int]:
    """The right to send these rows for one lease: a row is ours only if it is still pending
    and nobody holds a live lease on it (one conditional UPDATE … RETURNING)."""
    from tracking.models import OutboxEmail

    at = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {OutboxEmail._meta.db_table}"  # noqa: S608 - table name only
            " SET lease_until = %s, attempts = attempts + 1"
            " WHERE id = ANY(%s) AND status = 'pending'"
            " AND (lease_until IS NULL OR lease_until < %s) RETURNING id",
            [at + timedelta(seconds=LEASE_SECONDS), list(ids), at],
        )
        return sorted(row[0] for row in cursor.fetchall())


def outbox_send(*, ids: list[int]) -> dict[int, str]:
    """Send the claimed rows over one connection of the real backend; "sent", "failed" or
    "busy" (someone else's, or already sent) per id. A failure is recorded and raised after
    the others are done, so the task retries; the retry's claim skips what was sent."""
    from tracking.models import OutboxEmail, OutboxStatus

    outcome = dict.fromkeys(ids, "busy")
    claimed = outbox_claim(ids=ids)
    if not claimed:
        return outcome
    error: Exception | None = None
    mail_connection = delivery_connection()
    try:
        for row in OutboxEmail.objects.filter(pk__in=claimed).order_by("id"):
            try:
                message_from_dict(row.message, connection=mail_connection).send()
            except Exception as exc:  # noqa: BLE001 - recorded on the row, raised below
                error = error or exc
                outcome[row.pk] = "failed"
                OutboxEmail.objects.filter(pk=row.pk).update(
                    lease_until=None,
                    last_error=f"{type(exc).__name__}: {exc}"[:2000],
                    status=OutboxStatus.FAILED
                    if row.attempts >= MAX_ATTEMPTS
                    else OutboxStatus.PENDING,
                )
                continue
            OutboxEmail.objects.filter(pk=row.pk).update(
                status=OutboxStatus.SENT, sent_at=timezone.now(), lease_until=None
            )
            outcome[row.pk] = "sent"
    finally:
        mail_connection.close()
    if error is not None:
        raise error
    return outcome


def outbox_requeue(*, older_than: timedelta = timedelta(minutes=1)) -> int:
    """Rows still pending whose task may be lost (never enqueued, or dropped with Redis):
    enqueue them again. The claim makes a duplicate of a live task a no-op."""
    from tracking.models import OutboxEmail, OutboxStatus

    at = timezone.now()
    ids = list(
        OutboxEmail.objects.filter(status=OutboxStatus.PENDING, created_at__lte=at - older_than)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=at))
        .order_by("created_at")
        .values_list("pk", flat=True)[:5000]
    )
    enqueue_send(ids)
    return len(ids)
