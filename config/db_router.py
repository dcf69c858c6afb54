"""Reads of the public board on PostgreSQL streaming replicas (issue 17).

`DATABASE_REPLICA_URLS` (comma separated) adds the databases `replica_1`, `replica_2`, ...
`ReplicaRoutingMiddleware` marks a request as a *public read* when it is a GET/HEAD of one of the
views in `DATABASE_REPLICA_URL_NAMES` (search, posting, company, feeds) and the visitor has not
written in the last `DATABASE_REPLICA_PIN_SECONDS` (a cookie set on every POST/PUT/PATCH/DELETE
response) and no public data changed in the last `DATABASE_REPLICA_MAX_LAG` seconds (the page
cache's generation bump time: a page rendered for everyone must not come from a replica that has
not replayed the change yet). During a public read, `ReplicaRouter` sends reads of the board's
tables (app `jobs`) to a healthy replica; everything else (a user's own saved jobs,
applications, session, profile) and every write stays on the primary.

A replica is healthy when it answers and its replay is no more than `DATABASE_REPLICA_MAX_LAG`
seconds behind (`pg_last_xact_replay_timestamp()`, or caught up when everything received was
replayed). The check runs at most every `DATABASE_REPLICA_CHECK_SECONDS` per process and is
kept in memory: it only decides where a read goes, and a wrong answer costs one retry on the
primary at worst (a failed replica is dropped for the next interval).

`public_read_connection` is the connection raw-SQL readers of public data
(jobs/board/search/sql.py) use.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PIN_COOKIE = "jt_primary"
PUBLIC_APPS = frozenset({"jobs"})
_public_read: contextvars.ContextVar[bool] = contextvars.ContextVar("public_read", default=False)
_health: dict[str, tuple[float, bool]] = {}  # alias -> (checked at, healthy)
_health_lock = threading.Lock()


def replica_aliases() -> list[str]:
    return [alias for alias in connections.settings if alias.startswith("replica_")]


def _lag_seconds(alias: str) -> float:
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL"
            " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)"
            " END"
        )
        (lag,) = cursor.fetchone()
    if lag is None:
        raise RuntimeError(f"{alias} is not in recovery: not a replica")
    return float(lag)


def is_healthy(alias: str, *, now: float | None = None) -> bool:
    now = time.monotonic() if now is None else now
    checked = _health.get(alias)
    if checked and now - checked[0] < settings.DATABASE_REPLICA_CHECK_SECONDS:
        return checked[1]
    with _health_lock:
        try:
            healthy = _lag_seconds(alias) <= settings.DATABASE_REPLICA_MAX_LAG
        except Exception as exc:  # down, refusing, not a replica: skip it for a while
            logger.warning("replica %s skipped: %s", alias, exc)
            healthy = False
            with contextlib.suppress(Exception):
                connections[alias].close()
        _health[alias] = (now, healthy)
    return healthy


def mark_unhealthy(alias: str) -> None:
    _health[alias] = (time.monotonic(), False)


def forget_health() -> None:
    _health.clear()


def healthy_replica() -> str | None:
    candidates = [alias for alias in replica_aliases() if is_healthy(alias)]
    return random.choice(candidates) if candidates else None  # noqa: S311 - load spreading


def public_read_alias() -> str:
    """The database for a read of public data in this context."""
    if not _public_read.get():
        return "default"
    return healthy_replica() or "default"


class _PublicReadConnection:
    """`connection`, but the replica's during a public read (for raw SQL readers)."""

    def __getattr__(self, name: str):
        return getattr(connections[public_read_alias()], name)


public_read_connection = _PublicReadConnection()


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if model._meta.app_label in PUBLIC_APPS and _public_read.get():
            return healthy_replica()
        return None  # the primary

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replicas hold the same data

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == "default"


def _recent_public_change() -> bool:
    from config.page_cache import last_bump_age

    age = last_bump_age()
    return age is not None and age < settings.DATABASE_REPLICA_MAX_LAG


class ReplicaRoutingMiddleware:
    """Decides whether this request's board reads may go to a replica, and pins a visitor who
    writes to the primary for DATABASE_REPLICA_PIN_SECONDS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.names = frozenset(getattr(settings, "DATABASE_REPLICA_URL_NAMES", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _public_read.set(False)
        try:
            response = self.get_response(request)
        finally:
            _public_read.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS") and replica_aliases():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            replica_aliases()
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.view_name in self.names
            and PIN_COOKIE not in request.COOKIES
            and not _recent_public_change()
        ):
            _public_read.set(True)
        return None
