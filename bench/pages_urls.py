"""The project's URLs plus `/__bench__/hello`: "hello" through the same middleware."""

from django.http import HttpResponse
from django.urls import path

from config.urls import *  # noqa: F403
from config.urls import urlpatterns as project_urlpatterns


def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("__bench__/hello", hello), *project_urlpatterns]
