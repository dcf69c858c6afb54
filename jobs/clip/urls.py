from django.urls import path

from jobs.clip import api, views

app_name = "clip"
urlpatterns = [
    path("api/clip/", api.clip, name="api"),
    path("clip/paste/", views.paste, name="paste"),
    path("clip/bookmarklet/", views.bookmarklet_window, name="bookmarklet"),
]
