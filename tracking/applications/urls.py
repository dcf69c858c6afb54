"""The tracker's URLs (board, pipeline, notes, reminders, interviews, contacts, calendar
feed, CSV export); composed into the "tracking" namespace by tracking/urls.py."""

from django.urls import path

from tracking.applications import views

urlpatterns = [
    path("applications/", views.board, name="board"),
    path("applications/list/", views.application_list, name="list"),
    path("applications/new/", views.application_new, name="new"),
    path("applications/track/<int:posting_id>/", views.application_track, name="track"),
    path("applications/settings/", views.tracking_settings, name="settings"),
    path("applications/stages/", views.stage_add, name="stage_add"),
    path("applications/stages/<int:pk>/rename/", views.stage_rename, name="stage_rename"),
    path("applications/stages/<int:pk>/shift/", views.stage_shift, name="stage_shift"),
    path("applications/stages/<int:pk>/archive/", views.stage_archive, name="stage_archive"),
    path(
        "applications/calendar/regenerate/", views.calendar_regenerate, name="calendar_regenerate"
    ),
    path("applications/calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path(
        "applications/export/applications.csv",
        views.export_applications_csv,
        name="export_applications",
    ),
    path(
        "applications/export/stage-changes.csv",
        views.export_stage_changes_csv,
        name="export_stage_changes",
    ),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="edit"),
    path("applications/<int:pk>/move/", views.application_move, name="move"),
    path("applications/<int:pk>/archive/", views.application_archive, name="archive"),
    path("applications/<int:pk>/document/", views.application_document, name="document"),
    path("applications/<int:pk>/delete/", views.application_delete, name="delete"),
    path("applications/<int:pk>/notes/", views.note_add, name="note_add"),
    path("applications/<int:pk>/reminders/", views.reminder_add, name="reminder_add"),
    path("applications/<int:pk>/interviews/", views.interview_add, name="interview_add"),
    path("applications/<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("applications/changes/<int:pk>/edit/", views.stage_change_edit, name="change_edit"),
    path("applications/notes/<int:pk>/edit/", views.note_edit, name="note_edit"),
    path("applications/notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
    path("applications/reminders/<int:pk>/done/", views.reminder_done, name="reminder_done"),
    path("applications/reminders/<int:pk>/snooze/", views.reminder_snooze, name="reminder_snooze"),
    path("applications/reminders/<int:pk>/cancel/", views.reminder_cancel, name="reminder_cancel"),
    path("applications/interviews/<int:pk>/edit/", views.interview_edit, name="interview_edit"),
    path(
        "applications/interviews/<int:pk>/delete/", views.interview_delete, name="interview_delete"
    ),
    path("applications/interviews/<int:pk>.ics", views.interview_ics, name="interview_ics"),
    path("applications/contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("applications/contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("calendar/<token:token>.ics", views.calendar_feed, name="calendar_feed"),
]
