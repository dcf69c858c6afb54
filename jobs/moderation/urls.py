from django.urls import path

from jobs.moderation import views

app_name = "jobs_staff"
urlpatterns = [
    path("", views.review_queue, name="review_queue"),
    path("<int:pk>/", views.review_detail, name="review_detail"),
    path("<int:pk>/approve/", views.review_approve, name="review_approve"),
    path("<int:pk>/reject/", views.review_reject, name="review_reject"),
]
