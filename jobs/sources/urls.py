from django.urls import path

from jobs.sources import views

app_name = "sources"
urlpatterns = [
    path("staff/sources/", views.source_list, name="list"),
    path("staff/sources/add/", views.source_add, name="add"),
    path("staff/sources/<int:pk>/", views.source_edit, name="edit"),
    path("staff/sources/<int:pk>/pause/", views.source_pause, name="pause"),
    path("staff/sources/<int:pk>/sync/", views.source_sync, name="sync"),
    path("employer/companies/<slug:slug>/sources/", views.company_sources, name="company"),
    path("employer/sources/<int:pk>/sync/", views.company_source_sync, name="company_sync"),
    path("dev/board/greenhouse/v1/boards/<slug:token>/jobs", views.dev_board, name="dev_board"),
]
