from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("data/", views.your_data, name="data"),
    path("data/export.json", views.data_export, name="data_export"),
    path("delete/", views.account_delete, name="delete"),
]
