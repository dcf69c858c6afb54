"""The dashboard's URLs, included from tracking/urls.py under /dashboard/ (namespace
"tracking")."""

from django.urls import path

from tracking.dashboard import views

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("data.json", views.dashboard_data, name="dashboard_data"),
    path("reminders/<int:pk>/done/", views.reminder_done, name="dashboard_reminder_done"),
    path("reminders/<int:pk>/snooze/", views.reminder_snooze, name="dashboard_reminder_snooze"),
    path("applications/<int:pk>/move/", views.application_move, name="dashboard_move"),
]
