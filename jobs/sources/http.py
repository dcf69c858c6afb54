"""The one place live sources fetch over HTTP: timeouts, conditional requests (ETag /
Last-Modified), retries with backoff (honouring Retry-After), a per-host request limit shared by
every process (Redis), and a size cap enforced while streaming.

Every failure is a `FetchError` whose message is meant for staff ("The server answered 500 …").
"""

from __future__ import annotations

import ipaddress
import json
import logging
import random
import socket
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import redis
import requests
from django.conf import settings

log = logging.getLogger(__name__)

USER_AGENT = "Jobtrail/1.0 (+https://github.com/jobtrail; job board sync)"


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


class FetchError(Exception):
    """A source could not be read; the message is shown to staff."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotModified(Exception):  # noqa: N818 - a signal, not an error
    """The server answered 304 to a conditional request: nothing changed."""


@dataclass
class Response:
    url: str
    status: int
    body: bytes
    content_type: str
    etag: str = ""
    last_modified: str = ""

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body as JSON; HTML or a broken body is a readable FetchError."""
        head = self.body[:200].lstrip().lower()
        if head.startswith((b"<!doctype", b"<html", b"<")):
            raise FetchError(
                f"{self.url} answered HTML ({self.content_type or 'no content type'}) where JSON "
                "was expected: is the board name right, or is the board private?"
            )
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise FetchError(
                f"{self.url} answered malformed or truncated JSON ({len(self.body):,} bytes): {exc}"
            ) from exc


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


_client: redis.Redis | None = None


def _redis() -> redis.Redis:
    global _client  # noqa: PLW0603 - one connection pool per process
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5)
    return _client


def _check_public(url: str) -> None:
    """Refuse hosts that resolve to loopback, private, link-local or otherwise non-global
    addresses (an employer's "board URL" must not reach our own network: SSRF). Development and
    tests allow them (SOURCES_ALLOW_PRIVATE_HOSTS), the demo board is on 127.0.0.1."""
    if _setting("SOURCES_ALLOW_PRIVATE_HOSTS", False):
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url} is not an http(s) address.")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise FetchError(f"{parts.hostname} does not resolve: {exc}.") from exc
    for info in infos:
        if not ipaddress.ip_address(info[4][0]).is_global:
            raise FetchError(f"{parts.hostname} is not a public address; refusing to fetch it.")


def _host_slot(host: str) -> None:
    """At most one request per SOURCES_HOST_INTERVAL_MS to a host, across every worker: a Redis
    key with a millisecond expiry is the host's slot."""
    interval = int(_setting("SOURCES_HOST_INTERVAL_MS", 250))
    if interval <= 0:
        return
    client = _redis()
    key = f"sources:host:{host}"
    deadline = time.monotonic() + 60
    while not client.set(key, 1, nx=True, px=interval):
        if time.monotonic() > deadline:
            raise FetchError(f"Waited a minute for a turn to call {host}; too many requests.")
        ttl = client.pttl(key)
        time.sleep(max(ttl, 10) / 1000)


@dataclass
class Fetcher:
    """One source's HTTP session. `etag` / `last_modified` are sent with the first request only
    when the connector is a one-request kind (`conditional=True`); the validators of the first
    answer are kept for the next run."""

    etag: str = ""
    last_modified: str = ""
    conditional: bool = False
    max_bytes: int = field(default_factory=lambda: int(_setting("SOURCES_MAX_BYTES", 5 * 2**20)))
    timeout: float = field(default_factory=lambda: float(_setting("SOURCES_TIMEOUT", 20)))
    retries: int = field(default_factory=lambda: int(_setting("SOURCES_RETRIES", 2)))
    backoff: float = field(default_factory=lambda: float(_setting("SOURCES_BACKOFF", 1.0)))
    max_wait: float = field(default_factory=lambda: float(_setting("SOURCES_MAX_WAIT", 30)))
    requests_made: int = 0
    new_etag: str = ""
    new_last_modified: str = ""
    session: requests.Session = field(default_factory=requests.Session)

    def get(self, url: str, *, accept: str = "application/json") -> Response:
        first = self.requests_made == 0
        headers = {"User-Agent": USER_AGENT, "Accept": accept}
        if first and self.conditional:
            if self.etag:
                headers["If-None-Match"] = self.etag
            if self.last_modified:
                headers["If-Modified-Since"] = self.last_modified
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._once(url, headers)
            except FetchError as exc:
                if attempt > self.retries or exc.retry_after is None:
                    raise
                wait = exc.retry_after
                if wait > self.max_wait:
                    raise
                log.info("retrying %s in %.1f s: %s", url, wait, exc)
                time.sleep(wait)
                continue
            if response.status == 304:
                raise NotModified
            if first:
                self.new_etag, self.new_last_modified = response.etag, response.last_modified
            return response

    def _backoff(self) -> float:
        return self.backoff * (2 ** max(0, self.requests_made - 1)) * (0.5 + random.random())  # noqa: S311

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        host = urlsplit(url).netloc
        _check_public(url)
        _host_slot(host)
        self.requests_made += 1
        try:
            with self.session.get(
                url, headers=headers, timeout=self.timeout, stream=True, allow_redirects=False
            ) as r:
                if r.is_redirect and r.headers.get("Location"):
                    # Followed by hand so each hop is checked like the first (public hosts only).
                    if self.requests_made > 20:
                        raise FetchError(f"{url} redirects too many times.")
                    target = urljoin(url, r.headers["Location"])
                    return self._once(target, headers)
                status = r.status_code
                if status == 429 or status >= 500:
                    wait = _retry_after_seconds(r.headers.get("Retry-After"))
                    what = "429 Too Many Requests" if status == 429 else f"{status}"
                    after = f" (Retry-After: {r.headers['Retry-After']})" if wait else ""
                    raise FetchError(
                        f"{url} answered {what}{after}.",
                        retry_after=wait if wait is not None else self._backoff(),
                    )
                if status == 304:
                    return Response(url, 304, b"", "")
                if status >= 400:
                    raise FetchError(f"{url} answered {status} {r.reason}: check the address.")
                length = r.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(self._too_big(url, int(length)))
                chunks, size = [], 0
                # `timeout` bounds each read; this bounds a server that drips forever.
                deadline = time.monotonic() + 3 * self.timeout
                for chunk in r.iter_content(64 * 1024):
                    if time.monotonic() > deadline:
                        raise FetchError(f"{url} took longer than {3 * self.timeout:g} s to send.")
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(self._too_big(url, None))
                    chunks.append(chunk)
                return Response(
                    url=url,
                    status=status,
                    body=b"".join(chunks),
                    content_type=r.headers.get("Content-Type", ""),
                    etag=r.headers.get("ETag", "")[:300],
                    last_modified=r.headers.get("Last-Modified", "")[:100],
                )
        except requests.Timeout as exc:
            raise FetchError(
                f"{url} did not answer within {self.timeout:g} s.", retry_after=self._backoff()
            ) from exc
        except requests.ConnectionError as exc:
            raise FetchError(
                f"Could not connect to {host}: {exc.__class__.__name__}.",
                retry_after=self._backoff(),
            ) from exc
        except requests.RequestException as exc:
            raise FetchError(f"{url}: {exc}") from exc

    def _too_big(self, url: str, size: int | None) -> str:
        cap = self.max_bytes / 2**20
        said = f" ({size / 2**20:.1f} MB)" if size else ""
        return f"{url} answered more than {cap:g} MB{said}; stopped reading."
