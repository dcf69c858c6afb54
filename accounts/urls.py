from django.urls import path

from accounts import views
from accounts.tokens import views as token_views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("data/", views.your_data, name="data"),
    path("data/export.json", views.data_export, name="data_export"),
    path("delete/", views.account_delete, name="delete"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/new/", token_views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
]
