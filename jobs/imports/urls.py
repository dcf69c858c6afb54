from django.urls import path

from jobs.imports import views

app_name = "staff_import"
urlpatterns = [
    path("import/", views.staff_import, name="upload"),
    path("imports/<int:pk>/", views.import_job_detail, name="job"),
    path("imports/<int:pk>/retry/", views.import_job_retry_view, name="job_retry"),
]
