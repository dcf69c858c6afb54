"""Scale-out (issue 10, point 6): two web processes and two Celery workers on one PostgreSQL and
one Redis run the notification test, and every due reminder is still emailed exactly once.

Two gunicorn processes on two loopback ports serve the test database: users sign in on one,
read the page (and its CSRF token) from the other, and set their reminders through both in turn;
the rest of the 1,000 reminders are bulk rows. Two workers consume the same queue; the scan task
is enqueued twice at once (two beats). Both workers stall mid-batch (the mail server stops
answering), one is SIGKILLed, the mail server comes back for the other, which finishes the lost
work after the dead worker's leases expire. The web tier's shared state is checked directly: a
session and a CSRF token of one process are good on the other, a logout on one ends the session
on both, and the failed-login limit counts attempts made on either."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, ApplicationFactory, UserFactory
from tests.tracking.alerts.exactly_once import (
    await_worker,
    duplicates_in,
    make_due_reminders,
    services_env,
    spawn_worker,
    stop,
    wait_for,
)
from tests.tracking.alerts.outbox_backend import held_marker, read_outbox
from tracking.alerts import services as notifications
from tracking.models import EmailStatus, Notification, Reminder, ReminderStatus

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

USERS, PER_USER = 200, 5  # the notification test's 1,000 reminders
WEB_USERS = 10  # of them, these set their reminders through the web processes
HOLD_AFTER = 20  # each worker's mail server stops answering after its 20th message
HTTP_TIMEOUT = 30  # seconds; generous, the machine may be busy
TOO_MANY = "Too many attempts to log in. Wait a few minutes"


@pytest.fixture
def processes(transactional_db):
    """Every child process the test starts; all stopped at the end, pass or fail (before the
    test database is flushed)."""
    started: list[subprocess.Popen] = []
    yield started
    alive = [proc for proc in started if proc.poll() is None]
    for proc in alive:
        os.killpg(proc.pid, signal.SIGTERM)
    for proc in alive:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for proc in started:  # whatever is left of each process group (pool processes)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_web(processes: list, log: Path) -> str:
    """A gunicorn process (one sync worker) on a free loopback port, on the test database and
    the test Redis; returns its base URL (_await_web waits until it answers)."""
    port = _free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application",
             f"--bind=127.0.0.1:{port}", "--workers=1", "--access-logfile=-"],
            env=services_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    processes.append(proc)
    return f"http://127.0.0.1:{port}"


def _await_web(url: str, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status = requests.get(f"{url}/accounts/login/", timeout=HTTP_TIMEOUT).status_code
        except requests.RequestException:  # not listening yet, or still importing
            status = None
        if status == 200:
            return
        assert status is None, f"{url} answered {status}:\n{log.read_text(errors='replace')}"
        time.sleep(0.2)
    raise AssertionError(f"{url} did not serve the login page:\n{log.read_text(errors='replace')}")


@contextlib.contextmanager
def _web_logs_on_failure(logs: list[Path]):
    """A failed HTTP assertion shows the end of each web process's log (a traceback, if any)."""
    try:
        yield
    except AssertionError as exc:
        tails = "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}" for log in logs
        )
        raise AssertionError(f"{exc}\n{tails}") from exc


def _browser() -> requests.Session:
    """A client that reaches both web processes under one public name, as through a load
    balancer (allauth keys the failed-login limit by the site's host, port included)."""
    session = requests.Session()
    session.headers["Host"] = "localhost"
    return session


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _sign_in(session: requests.Session, *, page_from: str, post_to: str, email: str, password: str):
    token = _csrf(session.get(f"{page_from}/accounts/login/", timeout=HTTP_TIMEOUT).text)
    return session.post(
        f"{post_to}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": email, "password": password},
        allow_redirects=False,
        timeout=HTTP_TIMEOUT,
    )


def _set_reminders_over_http(webs: list[str], index: int, email: str, application_id: int):
    """Sign in on one web process, read the application page from the other (the session and
    the rotated CSRF token must be good there), then POST the reminders to both in turn."""
    one, other = webs[index % 2], webs[(index + 1) % 2]
    session = _browser()
    response = _sign_in(
        session, page_from=other, post_to=one, email=email, password=DEFAULT_PASSWORD
    )
    assert response.status_code == 302, (response.status_code, response.text[:2000])
    page = session.get(
        f"{other}/applications/{application_id}/", allow_redirects=False, timeout=HTTP_TIMEOUT
    )
    assert page.status_code == 200, "the session made by one web process is unknown to the other"
    token = _csrf(page.text)
    for k in range(PER_USER):
        response = session.post(
            f"{webs[k % 2]}/applications/{application_id}/reminders/",
            data={"csrfmiddlewaretoken": token, "quick": "3d", "message": f"Call back #{k}"},
            allow_redirects=False,
            timeout=HTTP_TIMEOUT,
        )
        assert response.status_code == 302, (response.status_code, response.text[:2000])
    return session, token


def _check_shared_web_state(webs: list[str], session, token: str, *, probe_email: str) -> None:
    """What the two processes must share beyond the rows: sessions and rate-limit counters."""
    # A logout on one process ends the session on the other (sessions live in PostgreSQL).
    response = session.post(
        f"{webs[1]}/accounts/logout/",
        data={"csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 302
    page = session.get(f"{webs[0]}/applications/", allow_redirects=False, timeout=HTTP_TIMEOUT)
    assert page.status_code == 302 and "/accounts/login/" in page.headers["Location"]

    # The failed-login limit (5 per account) counts in Redis: 3 failures on one process and 2 on
    # the other lock the account on both, even for the right password.
    session = _browser()
    for k in range(5):
        response = _sign_in(
            session, page_from=webs[k % 2], post_to=webs[k % 2], email=probe_email, password="no"
        )
        assert response.status_code == 200 and TOO_MANY not in response.text
        assert "do not match an account" in response.text
    response = _sign_in(
        session, page_from=webs[1], post_to=webs[1], email=probe_email, password=DEFAULT_PASSWORD
    )
    assert TOO_MANY in response.text


def test_two_web_processes_and_two_workers_email_every_reminder_exactly_once(
    processes, outbox, tmp_path
):
    started = time.monotonic()
    seconds = {}
    logs = [tmp_path / "web1.log", tmp_path / "web2.log"]
    webs = [_start_web(processes, log) for log in logs]
    release = str(tmp_path / "smtp-answers-again")
    dying, dying_host = spawn_worker(outbox, tag="a", hold_after=HOLD_AFTER, lease=3)
    processes.append(dying)
    # The survivor's leases outlive its slowest batch; the dead worker's expire after 3 s.
    survivor, survivor_host = spawn_worker(
        outbox, tag="b", hold_after=HOLD_AFTER, lease=60, release=release
    )
    processes.append(survivor)

    # The web processes check passwords with the production hasher (PBKDF2): hash it once, with
    # a salt good enough that a login does not re-hash it.
    hasher = PBKDF2PasswordHasher()
    password = hasher.encode(DEFAULT_PASSWORD, hasher.salt())
    web_users = [UserFactory() for _ in range(WEB_USERS)]
    applications = [ApplicationFactory(user=u) for u in web_users]
    probe = UserFactory()
    User.objects.filter(pk__in=[u.pk for u in [*web_users, probe]]).update(password=password)
    make_due_reminders(users=USERS - WEB_USERS, per_user=PER_USER)
    for url, log in zip(webs, logs, strict=True):
        _await_web(url, log)
    seconds["web up"] = time.monotonic() - started

    with _web_logs_on_failure(logs), ThreadPoolExecutor(max_workers=2) as pool:
        sessions = list(
            pool.map(
                lambda i: _set_reminders_over_http(webs, i, web_users[i].email, applications[i].pk),
                range(WEB_USERS),
            )
        )
    posts = [log.read_text().count('/reminders/ HTTP/1.1" 302') for log in logs]  # the access logs
    assert sum(posts) == WEB_USERS * PER_USER and min(posts) > 0, posts
    via_web = Reminder.objects.filter(application__in=applications)
    assert via_web.count() == WEB_USERS * PER_USER

    with _web_logs_on_failure(logs):
        _check_shared_web_state(webs, *sessions[0], probe_email=probe.email)

    # Three days later the reminders set on the web are due too.
    via_web.update(due_at=timezone.now() - timedelta(minutes=1))
    assert Reminder.objects.filter(status=ReminderStatus.PENDING).count() == USERS * PER_USER

    seconds["web checks"] = time.monotonic() - started - seconds["web up"]
    await_worker(dying, dying_host)
    await_worker(survivor, survivor_host)
    from tracking.tasks import scan_notifications

    mail_started = time.monotonic()
    scan_notifications.delay()  # two beats at once
    scan_notifications.delay()
    held = [held_marker(outbox, "a"), held_marker(outbox, "b")]
    assert wait_for(lambda: all(os.path.exists(p) for p in held), 60), "a worker never stalled"
    assert wait_for(lambda: Notification.objects.count() == USERS * PER_USER, 10)
    assert Reminder.objects.filter(status=ReminderStatus.PENDING).count() == 0
    carriers = Notification.objects.filter(sent_with__isnull=True).count()
    assert USERS <= carriers < USERS * PER_USER  # one email per user per scan batch

    # Both workers are stuck mid-batch holding claimed, unsent carriers: one machine dies.
    stop(dying, signal.SIGKILL)
    by_dead_worker = sum(1 for m in read_outbox(outbox) if m.get("worker") == "a")
    assert by_dead_worker >= HOLD_AFTER
    assert Notification.objects.filter(
        email_status=EmailStatus.PENDING, sent_with__isnull=True, lease_until__isnull=False
    ).exists()

    # The mail server answers again. Every task is delivered twice (as after a redelivery of
    # everything unacknowledged) and beat's sweeper re-enqueues what the dead worker held.
    Path(release).touch()
    notifications._enqueue(
        list(Notification.objects.filter(sent_with__isnull=True).values_list("pk", flat=True))
    )
    assert wait_for(
        lambda: not Notification.objects.exclude(email_status=EmailStatus.SENT).exists(),
        60,
        every=0.5,
        tick=lambda: notifications.requeue_unsent(older_than=timedelta(0)),
    ), "some notifications were never sent"
    assert wait_for(lambda: _queued() == 0, 30), "the duplicate deliveries were not all consumed"
    time.sleep(1)  # the last deliveries finish (they find nothing to send)
    log = stop(survivor)
    seconds["mail"] = time.monotonic() - mail_started

    sent = read_outbox(outbox)
    result = duplicates_in(sent)
    message_ids = {m["message_id"] for m in sent}
    print(
        f"\nscale-out: {USERS * PER_USER} reminders for {USERS} users"
        f" ({WEB_USERS * PER_USER} set over HTTP: {posts[0]} on web 1, {posts[1]} on web 2);"
        f" {carriers} emails expected, {len(sent)} sent"
        f" ({by_dead_worker} by the killed worker, {len(sent) - by_dead_worker} by the survivor),"
        f" {len(message_ids)} distinct Message-IDs"
        f" ({len(result['duplicate_message_ids'])} sent more than once),"
        f" {len(result['reminders_sent_twice'])} reminders duplicated,"
        f" {len(result['reminders_never_sent'])} missing;"
        f" {time.monotonic() - started:.1f} s in all"
        f" ({', '.join(f'{k} {v:.1f} s' for k, v in seconds.items())})"
    )
    assert result == {
        "duplicate_message_ids": {},
        "reminders_sent_twice": [],
        "reminders_never_sent": [],
    }
    assert len(message_ids) == len(sent) == carriers
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == USERS * PER_USER
    assert "Traceback" not in log


def _queued() -> int:
    """Messages waiting in the broker's default queue."""
    from config.celery import app

    with app.connection_for_write() as conn:
        return conn.default_channel.queue_declare(app.conf.task_default_queue).message_count
