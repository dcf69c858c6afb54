"""The dashboard's URLs, included from tracking/urls.py under /dashboard/ (namespace
"tracking")."""

from django.urls import path

from tracking.applications import views as tracker
from tracking.dashboard import views

# The Today panel's actions are the tracker's own views: they answer with the panel when htmx
# targets it, and without JavaScript they come back here.
BACK = {"back": "tracking:dashboard"}

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("data.json", views.dashboard_data, name="dashboard_data"),
    path("reminders/<int:pk>/done/", tracker.reminder_done, BACK, name="dashboard_reminder_done"),
    path(
        "reminders/<int:pk>/snooze/",
        tracker.reminder_snooze,
        BACK,
        name="dashboard_reminder_snooze",
    ),
    path("applications/<int:pk>/move/", tracker.application_move, BACK, name="dashboard_move"),
]
