"""/healthz (issue 16, finding 7): the public answer is cheap (it reads heartbeats the worker and
beat write, it never waits on a Celery ping) and says only ok or not; staff and a monitor with
the HEALTHZ_TOKEN see the details."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings

from tests.conftest import _database_url_for_tests

pytestmark = pytest.mark.services


@pytest.fixture
def no_celery_ping(monkeypatch):
    from config.celery import app

    def refuse(*args, **kwargs):
        raise AssertionError("/healthz must not wait on a Celery ping")

    monkeypatch.setattr(app.control, "ping", refuse)


@pytest.fixture
def celery_beat_process(transactional_db, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for_tests(),
        "REDIS_URL": settings.REDIS_URL,
        "JOBTRAIL_EMBEDDED_REDIS": "0",
        "JOBTRAIL_TESTING": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=WARNING",
         f"--schedule={tmp_path / 'schedule'}"],
        env=env,
        start_new_session=True,
    )  # fmt: skip
    yield proc
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(20)


def _wait_ok(client, **headers) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = client.get("/healthz", **headers)
        if response.status_code == 200:
            return response.json()
        time.sleep(0.5)
    raise AssertionError(response.json())


def test_healthz_reads_the_worker_and_beat_heartbeats(
    client, celery_worker_process, celery_beat_process, settings, no_celery_ping
):
    settings.HEALTHZ_TOKEN = "monitor-secret"
    assert _wait_ok(client) == {"ok": True}  # anonymous: no details
    body = client.get("/healthz", HTTP_AUTHORIZATION="Bearer monitor-secret").json()
    assert {k: body[k] for k in ("ok", "database", "redis", "worker", "beat")} == {
        "ok": True, "database": True, "redis": True, "worker": True, "beat": True,
    }  # fmt: skip
    assert 0 <= body["ages"]["worker"] <= 60 and 0 <= body["ages"]["beat"] <= 60


def test_healthz_is_503_without_a_worker_and_shows_why_only_with_the_token(
    client, db, settings, no_celery_ping
):
    settings.HEALTHZ_TOKEN = "monitor-secret"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"ok": False}
    wrong = client.get("/healthz", HTTP_AUTHORIZATION="Bearer guess")
    assert wrong.json() == {"ok": False}
    body = client.get("/healthz", HTTP_AUTHORIZATION="Bearer monitor-secret").json()
    assert body["database"] is True and body["redis"] is True
    assert body["worker"] is False and body["beat"] is False
    assert body["ages"]["worker"] is None


def test_staff_see_the_details(client, db, no_celery_ping):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    body = client.get("/healthz").json()
    assert set(body) >= {"ok", "database", "redis", "worker", "beat", "ages"}


def test_a_stale_heartbeat_is_a_dead_process(client, db, settings, no_celery_ping):
    from django.core.cache import cache

    from config.heartbeat import BEAT_KEY, WORKER_KEY

    settings.HEALTHZ_TOKEN = "t"
    cache.set(WORKER_KEY, time.time() - 5)
    cache.set(BEAT_KEY, time.time() - 5)
    assert client.get("/healthz").status_code == 200
    cache.set(WORKER_KEY, time.time() - 300)  # a worker that stopped (or hangs)
    response = client.get("/healthz", HTTP_AUTHORIZATION="Bearer t")
    assert response.status_code == 503
    assert response.json()["worker"] is False and response.json()["beat"] is True


def test_healthz_makes_one_query(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # SELECT 1; no session for an anonymous monitor
        client.get("/healthz")
