"""Whole-response cache of the signed-in pages (issue 17.3), kept in Redis per user.

`UserPageCacheMiddleware` serves the views named in `settings.USER_PAGE_CACHE_URL_NAMES` (the
board, /saved/, the dashboard and its chart data, with their htmx fragments) to their signed-in
owner from Redis. These pages show only the user's own tracker data and the public board, so a
copy stays right until one of the two changes. Rules:

- **Who.** Only a GET by a signed-in user with no Authorization header and no message
  waiting. Anything else renders as before.
- **Key.** The user's id; the session key and the CSRF secret (the page carries a CSRF token
  masked from that secret: a copy is only ever served to the session and cookie it was made
  for, so a second session of the same user, or a new log-in, renders its own); host, path,
  the query (sorted); the htmx headers (HX-Request, HX-Target, HX-History-Restore-Request:
  fragments differ); the language, the Accept-Language header and the cookies of
  `USER_PAGE_CACHE_COOKIES` (the reader's currency on /jobs/). The entry holds the user's timezone and the date it was
  rendered for in it: on another day there (relative dates: "today", "3 days ago") it is stale.
- **A hit loads neither the user nor the profile**: the middleware sits before anything that
  does and reads the user id from the session (one Redis read, config/sessions.py), then the
  user's generation (a second one); the page itself is kept in the process too. Safe because
  the session key is in the key (the copy was rendered in this session after Django's full
  check) and every save of the user or the profile bumps the generation.
- **Fresh** while the entry carries the user's current *tracker generation* and the public
  *data generation* of config/page_cache.py (read at most a second old), and is younger than
  `USER_PAGE_CACHE_TTL` (60 s, which bounds what no bump covers: a staff edit of tracker rows
  in the admin, a queryset update of users, "2 hours ago" words).
- **The tracker generation** is a Redis counter per user, bumped (1) by this middleware after
  every non-safe request (POST, PUT, PATCH, DELETE) of a signed-in user, whatever the view did,
  and of a token-authenticated API call (`mark_writer`); (2) by `bump_users()` on commit where
  a change to a user's tracker data happens outside their request: the notification scanners'
  inserts (tracking/alerts/services.py `_insert`, which also covers the reminders they mark
  sent and the clipped-job expiry), the in-app copies of review emails; (3) by `post_save` of
  the user and the profile (`connect_signals`: password reset, deactivation, timezone).
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
from datetime import datetime

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control

from config.page_cache import _has_messages, data_generation
from config.timezones import user_timezone, zone_named

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
            # What a page reads from the request besides the user (/jobs/: the currency
            # remembered in a cookie, else the browser language's country).
            request.headers.get("Accept-Language", "")[:200],
            *(request.COOKIES.get(name, "") for name in _setting("USER_PAGE_CACHE_COOKIES", ())),
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


def _today_in(zone_name: str, at: float) -> str:
    return datetime.fromtimestamp(at, zone_named(zone_name)).date().isoformat()


def _fresh(entry: dict, user_gen: int, public_gen: int, now: float) -> bool:
    return (
        entry["user_gen"] == user_gen
        and entry["public_gen"] == public_gen
        and now - entry["at"] < _setting("USER_PAGE_CACHE_TTL", 60)
        # Rendered for another day in the user's timezone: "today", "3 days ago" moved on.
        and _today_in(entry["tz"], now) == entry["date"]
    )


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


class UserPageCacheMiddleware:
    """Place it after the session, CSRF and messages middleware (it reads what they set) and
    after the ones that add headers to every response (CSP, X-Frame-Options, ...), but before
    anything that loads the user (allauth's, the timezone middleware): a hit is answered from
    the session's user id without loading the user or the profile (no SQL at all).

    Serving a page without loading the user is safe because the key holds the session key: the
    entry was rendered in this very session after Django's full check (user active, session
    hash matching the password), and any save of the user or the profile (password change,
    deactivation, timezone) bumps the user's generation (`connect_signals`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self._paths: frozenset[str] | None = None

    def paths(self) -> frozenset[str]:
        # The cached views take no URL arguments: one path each, resolved once.
        if self._paths is None:
            paths = set()
            for name in _setting("USER_PAGE_CACHE_URL_NAMES", ()):
                try:
                    paths.add(reverse(name))
                except NoReverseMatch:  # a URLconf without it (a test's, a bench's)
                    continue
            self._paths = frozenset(paths)
        return self._paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            self._bump_writer(request)
            return response
        if request.path not in self.paths() or not enabled():
            return self.get_response(request)
        state = self._lookup(request)
        if isinstance(state, HttpResponse):
            return state
        response = self.get_response(request)
        if state is None:
            return response
        if isinstance(state, str):  # "bypass"
            response["X-User-Cache"] = "bypass"
            return _private(response)
        if self._storable(request, response, state):
            try:
                self._store(request, state, response)
                response["X-User-Cache"] = "miss"
            except Exception:
                logger.exception("user page cache: could not store")
                response["X-User-Cache"] = "bypass"
        else:
            response["X-User-Cache"] = "bypass"
        return _private(response)

    def _lookup(self, request: HttpRequest) -> HttpResponse | tuple | str | None:
        """A cached response, or what to remember for storing the rendered one."""
        user_id = request.session.get(SESSION_KEY)  # the session's user: no SQL
        if user_id is None:
            return None  # login_required sends them to log in
        # No CSRF cookie yet: a page that asks for a token makes a new secret, and `_storable`
        # then sees it differ (the data.json answer carries no token and is kept).
        csrf_secret = request.META.get("CSRF_COOKIE") or ""
        if request.method != "GET" or "Authorization" in request.headers or _has_messages(request):
            return "bypass"
        try:
            user_id = int(user_id)
            key = page_key(request, user_id, csrf_secret)
            user_gen = int(cache.get(generation_key(user_id)) or 0)
            public_gen = data_generation()
            now = time.time()
            entry = _local_entries.get(key)
            if entry is not None and _fresh(entry, user_gen, public_gen, now):
                return self._from_entry(entry)
            entry = cache.get(key)
            if entry is not None and _fresh(entry, user_gen, public_gen, now):
                _remember(key, entry)
                return self._from_entry(entry)
        except Exception:  # Redis down: render as if there were no cache
            logger.exception("user page cache: lookup failed")
            return "bypass"
        # Generations read before rendering: a change committed meanwhile leaves this copy stale.
        return (key, user_id, csrf_secret, user_gen, public_gen, now)

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
    def _storable(request: HttpRequest, response: HttpResponse, state: tuple) -> bool:
        _key, user_id, csrf_secret = state[0], state[1], state[2]
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if "no-store" in response.get("Cache-Control", ""):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.pk != user_id:
            return False
        if _has_messages(request):  # added or shown by this page: shown once, never again
            return False
        if request.session.modified:  # e.g. /saved/ popped the kept ticks
            return False
        # A new CSRF secret made (no cookie came) or rotated while rendering: not the key's.
        return (request.META.get("CSRF_COOKIE") or "") == csrf_secret

    @staticmethod
    def _store(request: HttpRequest, state: tuple, response: HttpResponse) -> None:
        key, _user_id, _csrf, user_gen, public_gen, started = state
        tz = user_timezone(request.user).key  # the profile is loaded: no query
        entry = {
            "user_gen": user_gen,
            "public_gen": public_gen,
            "at": started,
            "tz": tz,
            "date": _today_in(tz, started),
            "content": response.content,
            # The headers of the view and of the middleware inside this one; those outside it
            # (CSP, cookies, Vary: Cookie) are added again around a hit.
            "headers": [(h, v) for h, v in response.items() if h.lower() != "x-user-cache"],
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


def connect_signals() -> None:
    """A save of the user (password, is_active, a log-in's last_login) or of the profile
    (timezone, skills) outside the user's own requests: their cached pages are stale."""
    from django.db.models.signals import post_delete, post_save

    from accounts.models import Profile, User

    post_save.connect(_on_user_change, sender=User, dispatch_uid="user_page_cache_user")
    post_delete.connect(_on_user_change, sender=User, dispatch_uid="user_page_cache_user_del")
    post_save.connect(_on_profile_change, sender=Profile, dispatch_uid="user_page_cache_profile")


def _on_user_change(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        bump_user(instance.pk)


def _on_profile_change(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        bump_user(instance.user_id)


__all__ = [
    "UserPageCacheMiddleware",
    "bump_user",
    "connect_signals",
    "bump_users",
    "forget_local",
    "generation_key",
    "mark_writer",
    "page_key",
]
