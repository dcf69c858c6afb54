"""The client's address, for rate limits and anything else that reads it.

Behind N trusted proxies (TRUSTED_PROXY_COUNT, e.g. 1 for the TLS proxy the README recommends)
REMOTE_ADDR is the nearest proxy's address, the same for every client: the client is the entry
the outermost trusted proxy appended to X-Forwarded-For, the N-th from the right. Entries further
left were written by the client itself and prove nothing. With no trusted proxy (the default) the
header is ignored, since anyone could send it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR") or ""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.headers.get("x-forwarded-for", "")
    if count > 0 and forwarded:
        entries = [entry for entry in forwarded.split(",") if entry.strip()]
        # Fewer entries than proxies (a request that skipped one): the leftmost is the best
        # we know. allauth's own version raises ImproperlyConfigured there, a 500.
        entry = entries[-count] if len(entries) >= count else (entries[0] if entries else "")
        if found := _valid(entry):
            return found
    return _valid(remote) or "0.0.0.0"  # noqa: S104 - a placeholder, never bound
