"""Redis down (issue 16, finding 8): a web server whose REDIS_URL points at a closed port.
An approval completes and its email waits in the outbox; login answers 503 with a clear
message, never a 500. The figures (how long each request took) are printed for docs/quality.md.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from jobs.employer import services
from jobs.models import Company, CompanyStatus, Posting, PostingStatus
from tests.conftest import _database_url_for_tests
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tracking.models import OutboxEmail, OutboxStatus

pytestmark = pytest.mark.services

BASE_DIR = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def web_without_redis(transactional_db, tmp_path):
    port, closed = _free_port(), _free_port()  # nothing listens on `closed`
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for_tests(),
        "REDIS_URL": f"redis://127.0.0.1:{closed}/0",
        "JOBTRAIL_EMBEDDED_REDIS": "0",
        "JOBTRAIL_TESTING": "1",
        "JOBTRAIL_DATA_DIR": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions the test logs in must be valid there
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "USER_PAGE_CACHE_ENABLED": "1",  # its lookups and bumps meet the outage too
    }
    log = open(tmp_path / "web.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert proc.poll() is None, (tmp_path / "web.log").read_text()
            time.sleep(0.3)
    yield f"http://127.0.0.1:{port}"
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(20)
    log.close()


def _csrf(session: requests.Session, url: str) -> str:
    html = session.get(url, timeout=30).text
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_with_redis_down_an_approval_completes_and_its_email_waits(web_without_redis, client):
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
    client.force_login(staff)  # a session row in the database the web server reads
    browser = requests.Session()
    browser.cookies.set("sessionid", client.cookies["sessionid"].value)
    token = _csrf(browser, f"{web_without_redis}/staff/review/{posting.pk}/")

    started = time.monotonic()
    response = browser.post(
        f"{web_without_redis}/staff/review/{posting.pk}/approve/",
        data={"csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=60,
    )
    took = time.monotonic() - started
    print(f"\napproval with Redis down: {response.status_code} in {took:.2f} s")
    assert response.status_code == 302, response.text[:2000]
    assert response.headers["Location"] == "/staff/review/"
    assert Posting.objects.get(pk=posting.pk).status == PostingStatus.PUBLISHED
    (row,) = OutboxEmail.objects.all()
    assert row.status == OutboxStatus.PENDING and row.recipients == "boss@acme.example"

    # Redis is back: the sweeper enqueues the row, a worker sends it (here in-process, locmem).
    from django.core import mail

    from config import outbox

    assert outbox.outbox_send(ids=[row.pk]) == {row.pk: "sent"}
    assert "is live" in mail.outbox[0].subject


def test_with_redis_down_login_answers_with_a_clear_message(web_without_redis):
    user = UserFactory()
    browser = requests.Session()
    token = _csrf(browser, f"{web_without_redis}/accounts/login/")
    started = time.monotonic()
    response = browser.post(
        f"{web_without_redis}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": user.email, "password": DEFAULT_PASSWORD},
        allow_redirects=False,
        timeout=60,
    )
    took = time.monotonic() - started
    print(f"\nlogin with Redis down: {response.status_code} in {took:.2f} s")
    assert response.status_code == 503, response.text[:2000]
    assert "We could not check your sign-in just now" in response.text
    assert response.headers["Retry-After"] == "60"


def test_with_redis_down_signed_in_pages_render_uncached(web_without_redis, client):
    """The per-user page cache (config/user_page_cache.py) and the sessions' Redis copy
    (config/sessions.py) step aside: the session is read from PostgreSQL, pages render."""
    from tests.factories import ApplicationFactory
    from tracking.applications.services import stage_for_key
    from tracking.models import Application

    user = UserFactory()
    application = ApplicationFactory(user=user, title="Data Engineer", stage_key="applied")
    client.force_login(user)  # a session row in the database the web server reads
    browser = requests.Session()
    browser.cookies.set("sessionid", client.cookies["sessionid"].value)
    for path in ("/applications/", "/saved/", "/dashboard/", "/jobs/"):
        for _ in range(2):  # the second one has the CSRF cookie: the cache would be asked
            response = browser.get(f"{web_without_redis}{path}", timeout=60)
            assert response.status_code == 200, (path, response.status_code)
            assert response.headers.get("X-User-Cache") == "bypass", path
    assert "Data Engineer" in browser.get(f"{web_without_redis}/applications/", timeout=60).text
    token = _csrf(browser, f"{web_without_redis}/applications/{application.pk}/")
    offer = stage_for_key(user=user, key="offer")
    response = browser.post(
        f"{web_without_redis}/applications/{application.pk}/move/",
        data={"csrfmiddlewaretoken": token, "stage": offer.pk},
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302, response.text[:2000]
    assert Application.objects.get(pk=application.pk).stage == offer
