"""Request helpers shared by every app: the safe `next` redirect and the request types for views'
annotations (what the middleware adds to Django's HttpRequest)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from accounts.models import User


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
    """Any request: django-htmx's middleware sets `request.htmx`."""

    htmx: HtmxDetails


class AuthedHttpRequest(HtmxHttpRequest):
    """A request to a view behind login_required (or staff_required): the user is signed in."""

    user: User
