from django.urls import path

from jobs.imports import views as views_import

app_name = "staff_import"
urlpatterns = [
    path("import/", views_import.staff_import, name="upload"),
    path("imports/<int:pk>/", views_import.import_job_detail, name="job"),
    path("imports/<int:pk>/retry/", views_import.import_job_retry_view, name="job_retry"),
]
