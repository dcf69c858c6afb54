"""The email outbox (issue 16, finding 8): every email the site sends is a row in PostgreSQL,
written in the transaction of the change that causes it; a task sends it and stamps it sent;
the beat sweeper sends again what a lost task left pending; never twice."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from config import outbox
from jobs.employer import services
from jobs.models import Company, CompanyStatus
from jobs.moderation import services as moderation_services
from tests.factories import UserFactory
from tracking.models import OutboxEmail, OutboxStatus

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def outbox_on(settings):
    """The production wiring: EMAIL_BACKEND is the outbox, locmem stands for SMTP behind it."""
    settings.EMAIL_BACKEND = outbox.OUTBOX_BACKEND
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    return settings


class FailingBackend:
    """An SMTP server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")


def _message(**extra) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        "Hello",
        "Plain body",
        "Jobtrail <noreply@jobtrail.local>",
        ["ada@example.com"],
        cc=["cc@example.com"],
        reply_to=["help@example.com"],
        headers={"List-Unsubscribe": "<https://x.test/u>", "Message-ID": "<m1@jobtrail>"},
        **extra,
    )
    message.attach_alternative("<p>HTML body</p>", "text/html")
    message.attach("notes.txt", "some text", "text/plain")
    message.attach("data.bin", b"\x00\x01binary", "application/octet-stream")
    return message


def test_sending_stores_a_row_in_the_callers_transaction(
    outbox_on, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        assert _message().send() == 1
        assert OutboxEmail.objects.count() == 1  # inside the transaction already
    assert mail.outbox == []  # nothing sent yet: the task does it after commit
    (row,) = OutboxEmail.objects.all()
    assert row.status == OutboxStatus.PENDING and row.subject == "Hello"
    assert len(callbacks) == 1  # the send task is enqueued on commit


def test_a_rolled_back_change_sends_nothing(outbox_on):
    with pytest.raises(RuntimeError), transaction.atomic():
        _message().send()
        raise RuntimeError("the change failed")
    assert OutboxEmail.objects.count() == 0


def test_the_sender_sends_the_whole_message_once(outbox_on):
    _message().send()
    (row,) = OutboxEmail.objects.all()
    assert outbox.outbox_send(ids=[row.pk]) == {row.pk: "sent"}
    assert outbox.outbox_send(ids=[row.pk]) == {row.pk: "busy"}  # a second delivery: no-op
    (sent,) = mail.outbox
    assert sent.subject == "Hello" and sent.body == "Plain body"
    assert sent.to == ["ada@example.com"] and sent.cc == ["cc@example.com"]
    assert sent.reply_to == ["help@example.com"]
    assert sent.extra_headers["List-Unsubscribe"] == "<https://x.test/u>"
    assert sent.extra_headers["Message-ID"] == "<m1@jobtrail>"
    assert sent.alternatives[0][0] == "<p>HTML body</p>"
    assert [a[0] for a in sent.attachments] == ["notes.txt", "data.bin"]
    assert sent.attachments[1][1] == b"\x00\x01binary"
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.sent_at and row.lease_until is None


def test_a_mime_part_attachment_is_sent_as_it_was_given(outbox_on):
    """A MIMEBase attachment (an .ics invite, a signed part) is stored as its bytes; reading it
    back must give Django a MIMEBase again, which it attaches as is (a plain Message was refused
    with "content must be provided", so the email could never leave the outbox)."""
    from email.mime.text import MIMEText

    message = _message()
    invite = MIMEText("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "calendar", "utf-8")
    invite.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message.attach(invite)
    message.send()
    (row,) = OutboxEmail.objects.all()
    assert outbox.outbox_send(ids=[row.pk]) == {row.pk: "sent"}
    (sent,) = mail.outbox
    part = sent.attachments[-1]
    assert part.get_content_type() == "text/calendar"
    assert part.get_filename() == "invite.ics"
    assert part.get_payload(decode=True) == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert b"invite.ics" in sent.message().as_bytes()


def test_two_workers_never_claim_the_same_row(outbox_on):
    _message().send()
    (row,) = OutboxEmail.objects.all()
    assert outbox.outbox_claim(ids=[row.pk]) == [row.pk]
    assert outbox.outbox_claim(ids=[row.pk]) == []  # leased by the first


def test_an_smtp_error_keeps_the_row_pending_for_a_retry(outbox_on, settings):
    _message().send()
    (row,) = OutboxEmail.objects.all()
    settings.EMAIL_DELIVERY_BACKEND = "tests.config.test_outbox.FailingBackend"
    with pytest.raises(ConnectionRefusedError):
        outbox.outbox_send(ids=[row.pk])
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and row.lease_until is None
    assert row.attempts == 1 and "SMTP down" in row.last_error
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    assert outbox.outbox_send(ids=[row.pk]) == {row.pk: "sent"}
    assert len(mail.outbox) == 1


def test_the_sweeper_re_enqueues_what_a_lost_task_left_pending(outbox_on, monkeypatch):
    from config import tasks

    _message().send()
    enqueued: list[list[int]] = []
    monkeypatch.setattr(
        tasks.send_outbox_emails, "apply_async", lambda args, **kw: enqueued.append(args[0])
    )
    assert outbox.outbox_requeue() == 0  # too young: its own task may still be on the way
    OutboxEmail.objects.update(created_at=OutboxEmail.objects.get().created_at.replace(year=2020))
    assert outbox.outbox_requeue() == 1
    assert enqueued == [[OutboxEmail.objects.get().pk]]


def test_the_enqueue_never_raises_when_the_broker_is_down(outbox_on, monkeypatch):
    from kombu.exceptions import OperationalError

    from config import tasks

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(tasks.send_outbox_emails, "apply_async", down)
    outbox.enqueue_send([1, 2])  # logged; the rows wait for the sweeper


def test_a_posting_review_writes_its_email_in_the_review_transaction(outbox_on):
    employer = UserFactory(email="boss@acme.example")
    staff = UserFactory(is_staff=True)
    company = services.company_create(name="Acme", by=employer)
    # Staff approved the company (issue 16 point 3), without a company review email here.
    Company.objects.filter(pk=company.pk).update(status=CompanyStatus.APPROVED)
    posting = services.posting_create_draft(
        company=company, by=employer, title="Data Engineer", description="<p>x</p>",
        apply_email="jobs@acme.example", workplace="remote",
    )  # fmt: skip
    services.posting_submit(posting=posting, by=employer)
    moderation_services.posting_approve(posting=posting, by=staff)
    (row,) = OutboxEmail.objects.all()
    assert row.recipients == "boss@acme.example" and "is live" in row.subject


def test_notifications_are_not_queued_twice(outbox_on, user, monkeypatch):
    """They are their own outbox (tracking.Notification): they go straight to the real backend."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import ApplicationFactory, ReminderFactory
    from tracking.alerts import services as notifications
    from tracking.models import Notification

    monkeypatch.setattr(notifications, "_enqueue", lambda ids: None)
    ReminderFactory(
        application=ApplicationFactory(user=user), due_at=timezone.now() - timedelta(minutes=5)
    )
    assert notifications.scan_due_reminders() == 1
    carrier = Notification.objects.get(sent_with__isnull=True)
    assert notifications.notification_send(notification_id=carrier.pk) == "sent"
    assert len(mail.outbox) == 1
    assert OutboxEmail.objects.count() == 0


@pytest.mark.services
def test_a_real_worker_sends_the_outbox(outbox_on, celery_worker_process):
    """End to end on the real broker: the worker's delivery backend is locmem (EMAIL_URL)."""
    with transaction.atomic():
        _message().send()
    row = OutboxEmail.objects.get()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if row.status == OutboxStatus.SENT:
            break
        time.sleep(0.3)
    assert row.status == OutboxStatus.SENT


@pytest.mark.services
def test_an_email_queued_before_a_redis_restart_is_still_sent(outbox_on, transactional_db, request):
    """The review's repro: the worker paused, the approval queues its email, Redis restarts
    empty (the task message is gone); the sweeper finds the row and a worker sends it."""
    from datetime import timedelta

    from django.core.cache import cache

    employer = UserFactory(email="boss@acme.example")
    staff = UserFactory(is_staff=True)
    company = services.company_create(name="Acme", by=employer)
    # Staff approved the company (issue 16 point 3), without a company review email here.
    Company.objects.filter(pk=company.pk).update(status=CompanyStatus.APPROVED)
    posting = services.posting_create_draft(
        company=company, by=employer, title="Data Engineer", description="<p>x</p>",
        apply_email="jobs@acme.example", workplace="remote",
    )  # fmt: skip
    services.posting_submit(posting=posting, by=employer)
    moderation_services.posting_approve(posting=posting, by=staff)  # enqueued; no worker is running
    cache._cache.get_client().flushdb()  # Redis restarted without its data: the task is lost
    row = OutboxEmail.objects.get()
    assert row.status == OutboxStatus.PENDING

    request.getfixturevalue("celery_worker_process")  # the worker is back
    assert outbox.outbox_requeue(older_than=timedelta(0)) == 1  # what beat does every minute
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and row.status != OutboxStatus.SENT:
        time.sleep(0.3)
        row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
