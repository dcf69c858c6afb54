"""Saved jobs, collections and compare under /saved/ (included from tracking/urls.py, so the
names live in the "tracking" namespace: tracking:saved, tracking:save, ...)."""

from django.urls import path

from tracking.saved import views

urlpatterns = [
    path("", views.saved_list, name="saved"),
    path("save/<int:posting_id>/", views.save, name="save"),
    path("unsave/<int:posting_id>/", views.unsave, name="unsave"),
    path("undo/", views.undo, name="saved_undo"),
    path("bulk/", views.saved_bulk, name="saved_bulk"),
    path("compare/", views.compare, name="saved_compare"),
    path("collections/", views.collections, name="saved_collections"),
    path("collections/<int:pk>/rename/", views.collection_rename, name="collection_rename"),
    path("collections/<int:pk>/delete/", views.collection_delete, name="collection_delete"),
    path("outside/<int:pk>/uncollect/", views.outside_uncollect, name="outside_uncollect"),
    path("<int:pk>/", views.saved_edit, name="saved_edit"),
    path("<int:pk>/remove/", views.saved_remove, name="saved_remove"),
]
