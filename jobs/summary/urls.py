from django.urls import path

from jobs.summary import views as views_summary

app_name = "jobs_summary"
urlpatterns = [
    path("skills/add/", views_summary.skill_add, name="skill_add"),
]
