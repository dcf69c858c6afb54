from django.urls import path

from tracking.alerts import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/bell/", views.notification_bell, name="notification_bell"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("saved-searches/", views.saved_search_list, name="saved_searches"),
    path("saved-searches/new/", views.saved_search_new, name="saved_search_new"),
    path("saved-searches/<int:pk>/edit/", views.saved_search_edit, name="saved_search_edit"),
    path("saved-searches/<int:pk>/pause/", views.saved_search_pause, name="saved_search_pause"),
    path("saved-searches/<int:pk>/delete/", views.saved_search_delete, name="saved_search_delete"),
]
