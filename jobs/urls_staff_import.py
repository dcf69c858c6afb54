from django.urls import path

from jobs import views_import

app_name = "staff_import"
urlpatterns = [
    path("", views_import.staff_import, name="upload"),
]
