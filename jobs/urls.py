from django.urls import path

from jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.posting_list, name="list"),
    path("<int:pk>-<slug:slug>/", views.posting_detail, name="posting"),
    path("companies/<slug:slug>/", views.company_detail, name="company"),
]
