"""A clear answer instead of a 500 when Redis (cache, rate limits, broker) is down."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import get_template

log = logging.getLogger(__name__)
LOGIN_VIEWS = {"account_login", "mfa_authenticate"}


def _outage_errors() -> tuple[type[BaseException], ...]:
    import redis.exceptions
    from kombu.exceptions import OperationalError

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OperationalError)


class ServiceUnavailableMiddleware:
    """A view that hits an unreachable Redis (allauth's rate limits on login and signup, the
    cache) answers 503 with a page that says so, and Retry-After, instead of a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.errors = _outage_errors()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, self.errors):
            return None
        log.warning("Redis unavailable on %s %s: %s", request.method, request.path, exception)
        match = request.resolver_match
        login = bool(match and match.url_name in LOGIN_VIEWS)
        # No request context: the context processors may need what is down.
        html = get_template("errors/503.html").render({"login": login})
        return HttpResponse(html, status=503, headers={"Retry-After": "60"})
