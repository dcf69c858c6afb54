"""Which reads may go to a replica (config/db_router.py); the real standby is in
test_db_router_replica.py."""

import pytest
from django.http import HttpResponse
from django.urls import resolve

from accounts.models import User
from config import db_router, page_cache
from jobs.models import Posting
from tracking.models import SavedJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def replicas(monkeypatch):
    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica_1"])
    monkeypatch.setattr(db_router, "healthy_replica", lambda: "replica_1")
    page_cache.forget_local()
    yield
    page_cache.forget_local()


def run(rf, method: str, path: str, cookies=None):
    """The middleware around a view that records where reads of a posting and of a saved job
    would go."""
    seen = {}

    def view(request):
        router = db_router.ReplicaRouter()
        seen["posting"] = router.db_for_read(Posting)
        seen["saved"] = router.db_for_read(SavedJob)
        seen["user"] = router.db_for_read(User)
        return HttpResponse("ok")

    request = getattr(rf, method)(path)
    request.COOKIES.update(cookies or {})
    request.resolver_match = resolve(path)

    def handler(request):  # as Django's: process_view runs inside the middleware's __call__
        middleware.process_view(request, view, (), {})
        return view(request)

    middleware = db_router.ReplicaRoutingMiddleware(handler)
    response = middleware(request)
    return seen, response


def test_a_public_read_of_the_board_goes_to_a_replica(rf, replicas):
    seen, _ = run(rf, "get", "/jobs/")
    assert seen == {"posting": "replica_1", "saved": None, "user": None}  # personal: primary


def test_personal_pages_read_the_primary(rf, replicas):
    seen, _ = run(rf, "get", "/saved/")
    assert seen["posting"] is None


def test_a_write_pins_the_visitor_to_the_primary(rf, replicas, settings):
    _, response = run(rf, "post", "/jobs/")
    cookie = response.cookies[db_router.PIN_COOKIE]
    assert cookie["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
    seen, _ = run(rf, "get", "/jobs/", cookies={db_router.PIN_COOKIE: "1"})
    assert seen["posting"] is None


def test_right_after_a_public_change_everyone_reads_the_primary(rf, replicas):
    page_cache._incr_generation()  # what a publish/edit/close does on commit
    seen, _ = run(rf, "get", "/jobs/")
    assert seen["posting"] is None


def test_without_replicas_nothing_changes(rf):
    seen, response = run(rf, "post", "/jobs/")
    assert db_router.PIN_COOKIE not in response.cookies
    seen, _ = run(rf, "get", "/jobs/")
    assert seen["posting"] is None


def test_outside_a_request_every_read_is_on_the_primary(replicas):
    assert db_router.ReplicaRouter().db_for_read(Posting) is None
    assert db_router.public_read_alias() == "default"


def test_writes_and_migrations_stay_on_the_primary():
    router = db_router.ReplicaRouter()
    assert router.db_for_write(Posting) == "default"
    assert router.allow_migrate("default", "jobs")
    assert not router.allow_migrate("replica_1", "jobs")


def test_a_replica_that_is_down_is_skipped_until_the_next_check(monkeypatch, settings):
    settings.DATABASE_REPLICA_CHECK_SECONDS = 3
    calls = []

    def down(alias):
        calls.append(alias)
        raise OSError("connection refused")

    monkeypatch.setattr(db_router, "_lag_seconds", down)
    db_router.forget_health()
    assert not db_router.is_healthy("replica_1", now=100.0)
    assert not db_router.is_healthy("replica_1", now=101.0)  # cached: no second attempt
    assert calls == ["replica_1"]
    monkeypatch.setattr(db_router, "_lag_seconds", lambda alias: 0.5)
    assert db_router.is_healthy("replica_1", now=104.0)


def test_a_replica_lagging_too_far_is_skipped(monkeypatch, settings):
    settings.DATABASE_REPLICA_MAX_LAG = 5
    db_router.forget_health()
    monkeypatch.setattr(db_router, "_lag_seconds", lambda alias: 12.0)
    assert not db_router.is_healthy("replica_1", now=200.0)
