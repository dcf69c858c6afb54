"""Request helpers shared by every app."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


def safe_next(request: HttpRequest, default: str) -> str:
    """Where to go after a change: the form's (or query's) `next` when it points to this site,
    else `default`. The Referer header is never trusted: it is not the user's choice."""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return default


class HtmxHttpRequest(HttpRequest):
    """A request that went through django-htmx's middleware (the type to give views)."""

    htmx: HtmxDetails
