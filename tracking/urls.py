"""Every tracking URL, in one "tracking" namespace: one include per use-case package."""

from django.urls import include, path

from tracking.applications.urls import urlpatterns as applications_urls

app_name = "tracking"
urlpatterns = [
    *applications_urls,
    path("", include("tracking.alerts.urls")),
    path("saved/", include("tracking.saved.urls")),
    path("dashboard/", include("tracking.dashboard.urls")),
]
