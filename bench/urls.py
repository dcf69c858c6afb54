"""The site's URLs plus /bench-hello/, a view that returns "hello" through the standard
middleware: the baseline that bench/board.py and bench/saved.py compare pages with
(issue 17.3: signed-in pages at >= 0.25x a trivial Django view)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [path("bench-hello/", hello), *site_urlpatterns]
