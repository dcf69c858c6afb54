"""Whole-response cache of the signed-in pages (issue 17.3), kept in Redis per user.

`UserPageCacheMiddleware` serves the views named in `settings.USER_PAGE_CACHE_URL_NAMES` (the
board, /saved/, the dashboard and its chart data, with their htmx fragments) to their signed-in
owner from Redis. These pages show only the user's own tracker data and the public board, so a
copy stays right until one of the two changes. Rules:

- **Who.** Only a GET by a signed-in user with no Authorization header and no message
  waiting. Anything else renders as before.
- **Key.** The user's id; the session key and the CSRF secret (the page carries a CSRF token
  masked from that secret: a copy is only ever served to the session and cookie it was made
  for, so a second session of the same user, or the same browser after a log-in rotated the
  token, renders its own); host, path, the query (sorted); the htmx headers (HX-Request,
  HX-Target, HX-History-Restore-Request: fragments differ); the language; the user's timezone
  and today's date in it (relative dates: "today", "3 days ago").
- **Fresh** while the entry carries the user's current *tracker generation* and the public
  *data generation* of config/page_cache.py, and is younger than `USER_PAGE_CACHE_TTL` (60 s,
  which bounds what no bump covers: a staff edit in the admin, "2 hours ago" words).
- **The tracker generation** is a Redis counter per user, bumped (1) by this middleware after
  every non-safe request (POST, PUT, PATCH, DELETE) of a signed-in user, whatever the view did,
  and of a token-authenticated API call (`mark_writer`); (2) by `bump_users()` on commit where
  a change to a user's tracker data happens outside their request: the notification scanners'
  inserts (tracking/alerts/services.py `_insert`, which also covers the reminders they mark
  sent and the clipped-job expiry), the in-app copies of review emails.
- **Stored** only when the response is a 200 with no cookie of its own, no message pending or
  shown, the session left unchanged and the CSRF secret the one of the key. A signed-in page
  is marked `Cache-Control: private, no-store` (never kept by a proxy or by the browser).
- **Redis down:** the lookup and the bump fail quietly (logged) and the page renders uncached.

`X-User-Cache: hit | miss | bypass` says what happened (the bench and tests read it).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from config.page_cache import _has_messages, data_generation

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-History-Restore-Request")


def _setting(name: str, default):
    return getattr(settings, name, default)


def enabled() -> bool:
    return bool(_setting("USER_PAGE_CACHE_ENABLED", True))


# --- the tracker generation ----------------------------------------------------------------


def generation_key(user_id: int) -> str:
    return f"userpage:gen:{user_id}"


def _incr(user_ids: Iterable[int]) -> None:
    ids = sorted(set(user_ids))
    if not ids:
        return
    try:
        # One round trip for all; INCR creates a missing key (Django's Redis cache stores ints
        # as plain Redis integers, so cache.get reads them back).
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        pipe = client.pipeline(transaction=False)
        for user_id in ids:
            pipe.incr(cache.make_key(generation_key(user_id)))
        pipe.execute()
    except Exception:  # a cache outage must not break a write; entries expire by TTL anyway
        logger.exception("user page cache: could not bump the generation of %s", ids)


def bump_users(user_ids: Iterable[int]) -> None:
    """The cached pages of these users are stale once the current transaction commits (at
    once when there is none). For changes to a user's tracker data made outside their own
    requests (Celery tasks, another user's action); the user's own writes are bumped by the
    middleware."""
    if not enabled():
        return
    ids = list(user_ids)
    if ids:
        transaction.on_commit(lambda: _incr(ids))


def bump_user(user_id: int) -> None:
    bump_users([user_id])


def mark_writer(request: HttpRequest, user_id: int) -> None:
    """A view that authenticates by itself (a Bearer token, not the session) names the user
    it wrote for: the middleware bumps that user after the response."""
    request.user_page_cache_writer = user_id  # type: ignore[attr-defined]


# --- keys ----------------------------------------------------------------------------------


def _query(request: HttpRequest) -> str:
    pairs = sorted((key, value) for key, values in request.GET.lists() for value in values)
    return "&".join(f"{key}={value}" for key, value in pairs)


def page_key(request: HttpRequest, user_id: int, csrf_secret: str) -> str:
    raw = "\x1f".join(
        [
            str(user_id),
            request.session.session_key or "",
            csrf_secret,
            request.get_host(),
            request.path,
            _query(request),
            *(request.headers.get(name, "") for name in HTMX_HEADERS),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),  # the user's, from UserTimezoneMiddleware
            timezone.localdate().isoformat(),
        ]
    )
    return f"userpage:page:{user_id}:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


# --- this process's copies -----------------------------------------------------------------

# Entries are also kept in the process (an optimisation, not shared state): a hit then reads
# only the user's generation from Redis, not a 300 KiB board. Bounded by bytes.
_local_entries: OrderedDict[str, dict] = OrderedDict()
_local_bytes = 0


def _remember(key: str, entry: dict) -> None:
    global _local_bytes
    old = _local_entries.pop(key, None)
    if old is not None:
        _local_bytes -= len(old["content"])
    _local_entries[key] = entry
    _local_bytes += len(entry["content"])
    limit = _setting("USER_PAGE_CACHE_LOCAL_BYTES", 32 * 2**20)
    while _local_bytes > limit and _local_entries:
        _, dropped = _local_entries.popitem(last=False)
        _local_bytes -= len(dropped["content"])


def forget_local() -> None:
    global _local_bytes
    _local_entries.clear()
    _local_bytes = 0


# --- the middleware ------------------------------------------------------------------------


def _fresh(entry: dict, user_gen: int, public_gen: int) -> bool:
    return (
        entry["user_gen"] == user_gen
        and entry["public_gen"] == public_gen
        and time.time() - entry["at"] < _setting("USER_PAGE_CACHE_TTL", 60)
    )


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


class UserPageCacheMiddleware:
    """Place it after the session, CSRF, authentication, messages and timezone middleware (it
    reads what they set) and inside them (their responses' cookies and headers are added
    around a cached page as around a rendered one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.names = frozenset(_setting("USER_PAGE_CACHE_URL_NAMES", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            self._bump_writer(request)
            return response
        state = getattr(request, "_user_page_cache", None)
        if state is None:
            return response
        if state == "bypass":
            response["X-User-Cache"] = "bypass"
            return _private(response)
        key, csrf_secret, user_gen, public_gen = state
        if self._storable(request, response, csrf_secret):
            try:
                self._store(key, user_gen, public_gen, response)
                response["X-User-Cache"] = "miss"
            except Exception:
                logger.exception("user page cache: could not store")
                response["X-User-Cache"] = "bypass"
        else:
            response["X-User-Cache"] = "bypass"
        return _private(response)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in self.names or not enabled():
            return None
        user = getattr(request, "user", None)
        # No cookie yet: a page that asks for a token makes a new secret, and `_storable`
        # then sees it differ (the data.json answer carries no token and is kept).
        csrf_secret = request.META.get("CSRF_COOKIE") or ""
        if user is None or not user.is_authenticated:
            return None  # login_required sends them to log in
        if request.method != "GET" or "Authorization" in request.headers or _has_messages(request):
            request._user_page_cache = "bypass"  # type: ignore[attr-defined]
            return None
        try:
            key = page_key(request, user.pk, csrf_secret)
            user_gen = int(cache.get(generation_key(user.pk)) or 0)
            public_gen = data_generation()
            entry = _local_entries.get(key)
            if entry is not None and _fresh(entry, user_gen, public_gen):
                return self._from_entry(entry)
            entry = cache.get(key)
            if entry is not None and _fresh(entry, user_gen, public_gen):
                _remember(key, entry)
                return self._from_entry(entry)
        except Exception:  # Redis down: render as if there were no cache
            logger.exception("user page cache: lookup failed")
            request._user_page_cache = "bypass"  # type: ignore[attr-defined]
            return None
        # Generations read before rendering: a change committed meanwhile leaves this copy stale.
        request._user_page_cache = (key, csrf_secret, user_gen, public_gen)  # type: ignore[attr-defined]
        return None

    # --- helpers

    @staticmethod
    def _bump_writer(request: HttpRequest) -> None:
        if not enabled():
            return
        writer = getattr(request, "user_page_cache_writer", None)
        user = getattr(request, "user", None)
        ids = {writer} if writer else set()
        if user is not None and user.is_authenticated:  # after a log-in: the new user
            ids.add(user.pk)
        _incr(ids)  # the view's writes are committed (no ATOMIC_REQUESTS)

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse, csrf_secret: str) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if "no-store" in response.get("Cache-Control", ""):
            return False
        if _has_messages(request):  # added or shown by this page: shown once, never again
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:  # e.g. /saved/ popped the kept ticks
            return False
        # A new CSRF secret made (no cookie came) or rotated while rendering: not the key's.
        return (request.META.get("CSRF_COOKIE") or "") == csrf_secret

    @staticmethod
    def _store(key: str, user_gen: int, public_gen: int, response: HttpResponse) -> None:
        entry = {
            "user_gen": user_gen,
            "public_gen": public_gen,
            "at": time.time(),
            "content": response.content,
            # Only the view's own headers are on the response here (this middleware is inside
            # the others): the same ones come back on a hit.
            "headers": list(response.items()),
        }
        # Kept a little past its freshness: nothing serves a copy that is not fresh.
        cache.set(key, entry, timeout=_setting("USER_PAGE_CACHE_TTL", 60) + 5)
        _remember(key, entry)

    @staticmethod
    def _from_entry(entry: dict) -> HttpResponse:
        response = HttpResponse(entry["content"])
        for header, value in entry["headers"]:
            response[header] = value
        response["X-User-Cache"] = "hit"
        return _private(response)


__all__ = [
    "UserPageCacheMiddleware",
    "bump_user",
    "bump_users",
    "forget_local",
    "generation_key",
    "mark_writer",
    "page_key",
]
