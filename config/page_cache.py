"""Whole-response cache for the public pages (issue 17), kept in Redis.

`PageCacheMiddleware` serves the views named in `settings.PAGE_CACHE_URL_NAMES` to anonymous
visitors from Redis. Rules:

- **Who.** Only GET/HEAD from a visitor who is not signed in, has no pending messages and sends
  no Authorization header. A signed-in user's response on the same URLs is marked
  `Cache-Control: private, no-store` and never stored.
- **What is stored.** A 200 that sets no cookie (a template that asked for a CSRF token or
  changed the session sets one, so such a page is never shared: public pages carry no
  per-session token) and is not already marked private.
- **Key.** Scheme, host, path, the query normalised (parameters sorted, empty values and the
  defaults of `PAGE_CACHE_DEFAULTS` dropped), whether it is an htmx fragment request, and what
  the functions of `PAGE_CACHE_VARIANTS` say of the request (/jobs/: the reader's currency from
  the Accept-Language header or the currency cookie, jobs/board/currency.py). The view's own
  `Vary` (Accept-Language there) is kept with the body.
- **Freshness.** An entry is fresh while it carries the current data *generation* and is younger
  than `PAGE_CACHE_TTL`. `bump_generation()` (after commit) is called wherever a posting's
  visible state changes: publish, edit, close, expiry, imports, summary recompute, company
  edits, moderation (see `connect_signals` and the explicit calls in jobs/services.py etc.).
- **Many misses of one key at once.** The first takes a short Redis lock and renders; the others
  serve the previous (stale) copy when there is one, else wait for the first up to
  `PAGE_CACHE_WAIT` seconds, then render themselves.
- **HTTP.** `ETag` / `Last-Modified` (and 304 for a matching `If-None-Match` /
  `If-Modified-Since`), `Cache-Control: public, max-age=…, stale-while-revalidate=…` a CDN can
  use, `Vary: Cookie, HX-Request`.

`X-Page-Cache: hit | stale | miss | bypass` says what happened (the bench and tests read it).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from email.utils import formatdate
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
BUMPED_AT_KEY = "pagecache:bumped_at"
# Headers of the view's response that are stored with the body (the rest are added again by
# the middleware around this one on every response).
KEPT_HEADERS = ("content-type", "content-language", "hx-push-url", "x-robots-tag", "link", "vary")


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- the data generation -------------------------------------------------------------------


# In-process copies (an optimisation, not shared state: Redis stays the source of truth). On a
# busy machine every round trip to another process costs a scheduler wake-up (about 2-3 ms at a
# load of 8 on 2 cores, measured), more than the whole trivial view; so a hit reads nothing from
# Redis when this process holds the entry and has read the generation in the last
# PAGE_CACHE_GENERATION_CHECK seconds. Another process's change is seen within that second.
_local_generation: tuple[float, int, float | None] | None = None  # (read at, value, bumped at)
_local_entries: OrderedDict[str, dict] = OrderedDict()
_LOCAL_MAX_ENTRIES = 200


def current_generation() -> int:
    return int(cache.get(GENERATION_KEY) or 0)


def _generation_now() -> int:
    return _generation_state()[0]


def data_generation() -> int:
    """The public data generation as this process last read it (at most a second old):
    config/user_page_cache.py keys signed-in pages by it too."""
    return _generation_now()


def _generation_state() -> tuple[int, float | None]:
    """(generation, wall-clock time of its bump), read at most every second per process."""
    global _local_generation
    now = time.monotonic()
    if _local_generation is not None and now - _local_generation[0] < _setting(
        "PAGE_CACHE_GENERATION_CHECK", 1.0
    ):
        return _local_generation[1], _local_generation[2]
    found = cache.get_many([GENERATION_KEY, BUMPED_AT_KEY])
    value, bumped_at = int(found.get(GENERATION_KEY) or 0), found.get(BUMPED_AT_KEY)
    _local_generation = (now, value, bumped_at)
    return value, bumped_at


def last_bump_age() -> float | None:
    """Seconds since public data last changed (None: not known). config/db_router.py keeps
    reads on the primary while a replica may not have replayed the change yet."""
    try:
        bumped_at = _generation_state()[1]
    except Exception:
        return None
    return None if bumped_at is None else time.time() - bumped_at


def _remember(key: str, entry: dict) -> None:
    _local_entries[key] = entry
    _local_entries.move_to_end(key)
    while len(_local_entries) > _LOCAL_MAX_ENTRIES:
        _local_entries.popitem(last=False)


def forget_local() -> None:
    global _local_generation
    _local_generation = None
    _local_entries.clear()


def _incr_generation() -> None:
    global _local_generation
    _local_generation = None  # this process sees its own change at once
    try:
        # The raw client's INCR creates the key when missing; Django's Redis cache stores an
        # int as a plain Redis integer, so cache.get reads it back.
        client = cache._cache.get_client(GENERATION_KEY, write=True)  # type: ignore[attr-defined]
        client.incr(cache.make_key(GENERATION_KEY))
        cache.set(BUMPED_AT_KEY, time.time(), timeout=None)
    except Exception:  # a cache outage must not break a write; entries expire by TTL anyway
        logger.exception("page cache: could not bump the generation")


def bump_generation() -> None:
    """Every cached public page is stale once the current transaction commits (at once when
    there is none). Call it wherever a posting's visible state changes. Nothing while the page
    cache is off (the test suite, where the on-commit hooks are counted)."""
    if not _setting("PAGE_CACHE_ENABLED", True):
        return
    transaction.on_commit(_incr_generation)


def connect_signals() -> None:
    """Saves and deletes through the ORM of everything a public page shows. Queryset
    `update()` / `bulk_*` send no signal: those places call `bump_generation()` themselves."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from jobs.models import Company, CompanyGroup, Location, Posting

    for model in (Posting, Company, CompanyGroup, Location):
        post_save.connect(
            _on_change, sender=model, dispatch_uid=f"page_cache_save_{model.__name__}"
        )
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"page_cache_delete_{model.__name__}"
        )
    m2m_changed.connect(
        _on_change, sender=Posting.locations.through, dispatch_uid="page_cache_locations"
    )


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    bump_generation()


# --- keys ----------------------------------------------------------------------------------


def normalised_query(request: HttpRequest) -> str:
    defaults: dict[str, str] = _setting("PAGE_CACHE_DEFAULTS", {})
    pairs = []
    for key, values in request.GET.lists():
        for value in values:
            value = value.strip()
            if not value or defaults.get(key) == value:
                continue
            pairs.append((key, value))
    return urlencode(sorted(set(pairs)))


@functools.cache
def _variants() -> tuple[Callable[[HttpRequest], str], ...]:
    """PAGE_CACHE_VARIANTS: functions of the request whose answer a page depends on besides its
    URL (e.g. the reader's currency from a header or a cookie); each is part of the key."""
    return tuple(import_string(path) for path in _setting("PAGE_CACHE_VARIANTS", ()))


def page_key(request: HttpRequest) -> str:
    fragment = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    raw = "|".join(
        [
            request.scheme or "http",
            request.get_host(),
            request.path,
            normalised_query(request),
            "fragment" if fragment else "page",
            *(variant(request) for variant in _variants()),
        ]
    )
    return "pagecache:page:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


# --- the middleware ------------------------------------------------------------------------


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    try:
        return len(storage) > 0  # reads without marking them shown
    except Exception:
        return True


def _anonymous_public(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method in ("GET", "HEAD")
        and not (user is not None and user.is_authenticated)
        and "Authorization" not in request.headers
        and not _has_messages(request)
    )


class PageCacheMiddleware:
    """Place it right after SecurityMiddleware/WhiteNoise: outside the session, CSRF and message
    middleware, so it sees every cookie the response will set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.names = frozenset(_setting("PAGE_CACHE_URL_NAMES", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        state = getattr(request, "_page_cache", None)
        if state is None:
            return response
        if state == "private":
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie", "HX-Request"])
            return response
        if state[0] == "served":
            return response
        key, lock_key, generation = state[1], state[2], state[3]
        try:
            if self._storable(request, response):
                entry = self._store(key, generation, response)
                response = self._from_entry(request, entry, "miss")
            else:
                response["X-Page-Cache"] = "bypass"
        finally:
            if lock_key:
                cache.delete(lock_key)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name not in self.names:
            return None
        if not _setting("PAGE_CACHE_ENABLED", True):
            return None
        if not _anonymous_public(request):
            request._page_cache = "private"  # type: ignore[attr-defined]
            return None
        key = page_key(request)
        request.page_cache_public = True  # type: ignore[attr-defined]  # templates: no token
        try:
            generation, entry = self._lookup(key)
            if entry is not None and self._fresh(entry, generation):
                request._page_cache = ("served",)  # type: ignore[attr-defined]
                return self._from_entry(request, entry, "hit")
            lock_key = key + ":lock"
            if cache.add(lock_key, 1, timeout=_setting("PAGE_CACHE_LOCK_SECONDS", 5)):
                request._page_cache = ("render", key, lock_key, generation)  # type: ignore[attr-defined]
                return None
            if entry is not None:  # someone is rendering the new copy: serve the old one
                request._page_cache = ("served",)  # type: ignore[attr-defined]
                return self._from_entry(request, entry, "stale")
            deadline = time.monotonic() + _setting("PAGE_CACHE_WAIT", 0.5)
            while time.monotonic() < deadline:
                time.sleep(0.01)
                generation, entry = self._lookup(key)
                if entry is not None and self._fresh(entry, generation):
                    request._page_cache = ("served",)  # type: ignore[attr-defined]
                    return self._from_entry(request, entry, "hit")
        except Exception:  # Redis down: render as if there were no cache
            logger.exception("page cache: lookup failed")
            return None
        request._page_cache = ("render", key, None, generation)  # type: ignore[attr-defined]
        return None

    # --- helpers

    @staticmethod
    def _lookup(key: str) -> tuple[int, dict | None]:
        generation = _generation_now()
        entry = _local_entries.get(key)
        if entry is not None and entry["generation"] == generation:
            return generation, entry
        entry = cache.get(key)
        if entry is not None:
            _remember(key, entry)
        return generation, entry

    @staticmethod
    def _fresh(entry: dict, generation: int) -> bool:
        age = time.time() - entry["at"]
        return entry["generation"] == generation and age < _setting("PAGE_CACHE_TTL", 300)

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse) -> bool:
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return False
        if response.cookies:  # a CSRF cookie, a session: this response belongs to one visitor
            return False
        control = response.get("Cache-Control", "")
        return "private" not in control and "no-store" not in control

    @staticmethod
    def _store(key: str, generation: int, response: HttpResponse) -> dict:
        # The generation read *before* rendering: a change committed while the page rendered
        # leaves this copy already stale.
        content = response.content
        entry = {
            "generation": generation,
            "at": time.time(),
            "content": content,
            "headers": [(h, v) for h, v in response.items() if h.lower() in KEPT_HEADERS],
            "etag": '"' + hashlib.md5(content, usedforsecurity=False).hexdigest() + '"',
        }
        # Kept past its freshness so that concurrent misses have a copy to serve.
        cache.set(key, entry, timeout=_setting("PAGE_CACHE_KEEP_SECONDS", 3600))
        _remember(key, entry)
        return entry

    @staticmethod
    def _from_entry(request: HttpRequest, entry: dict, outcome: str) -> HttpResponse:
        last_modified = int(entry["at"])
        conditional = get_conditional_response(
            request, etag=entry["etag"], last_modified=last_modified
        )
        if conditional is not None and conditional.status_code == 304:
            response: HttpResponse = conditional
        else:
            response = HttpResponse(entry["content"])
            for header, value in entry["headers"]:
                response[header] = value
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = formatdate(last_modified, usegmt=True)
        max_age = _setting("PAGE_CACHE_MAX_AGE", 60)
        response["Cache-Control"] = (
            f"public, max-age={max_age}, "
            f"stale-while-revalidate={_setting('PAGE_CACHE_STALE_WHILE_REVALIDATE', 300)}"
        )
        patch_vary_headers(response, ["Cookie", "HX-Request"])
        response["X-Page-Cache"] = outcome
        return response


__all__ = [
    "PageCacheMiddleware",
    "bump_generation",
    "connect_signals",
    "current_generation",
    "data_generation",
    "normalised_query",
    "page_key",
]
