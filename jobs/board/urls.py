from django.urls import path

from jobs.board import feeds, views

app_name = "jobs"
urlpatterns = [
    path("", views.posting_list, name="list"),
    path("<int:pk>-<slug:slug>/", views.posting_detail, name="posting"),
    path("companies/<slug:slug>/", views.company_detail, name="company"),
    path("companies/<slug:slug>/logo/", views.company_logo, name="company_logo"),
    path("feed/rss/", feeds.NewPostingsFeed(), name="feed_rss"),
    path("feed/atom/", feeds.NewPostingsAtomFeed(), name="feed_atom"),
]
