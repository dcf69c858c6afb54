from django.urls import path

from jobs.summary import views

app_name = "jobs_summary"
urlpatterns = [
    path("skills/add/", views.skill_add, name="skill_add"),
]
