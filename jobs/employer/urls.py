from django.urls import path

from jobs.employer import views

app_name = "employer"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<slug:slug>/", views.company_edit, name="company_edit"),
    path("companies/<slug:slug>/members/", views.member_add, name="member_add"),
    path(
        "companies/<slug:slug>/invitations/<int:pk>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("invitations/<token:token>/", views.invitation_page, name="invitation"),
    path(
        "invitations/<token:token>/accept/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "invitations/<token:token>/decline/",
        views.invitation_decline,
        name="invitation_decline",
    ),
    path("companies/<slug:slug>/group/", views.group_create, name="group_create"),
    path("companies/<slug:slug>/group/limit/", views.group_limit, name="group_limit"),
    path("companies/<slug:slug>/postings/new/", views.posting_create, name="posting_create"),
    path("postings/<int:pk>/edit/", views.posting_edit, name="posting_edit"),
    path("postings/<int:pk>/submit/", views.posting_submit, name="posting_submit"),
    path("postings/<int:pk>/close/", views.posting_close, name="posting_close"),
    path("postings/<int:pk>/extend/", views.posting_extend, name="posting_extend"),
]
