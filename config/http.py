"""Request types for views' annotations: what the middleware adds to Django's HttpRequest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from accounts.models import User


class HtmxHttpRequest(HttpRequest):
    """Any request: django-htmx's middleware sets `request.htmx`."""

    htmx: HtmxDetails


class AuthedHttpRequest(HtmxHttpRequest):
    """A request to a view behind login_required (or staff_required): the user is signed in."""

    user: User
