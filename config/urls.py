from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, register_converter

from config import views
from config.params import TokenConverter
from jobs.board.sitemaps import SITEMAPS, robots_txt

# <token:...>: URL-safe random tokens only, so a NUL byte or stray text is a 404 before any query.
register_converter(TokenConverter, "token")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("dev/mail/", views.dev_mailbox, name="dev_mailbox"),
    path("dev/mail/<str:name>", views.dev_mail_detail, name="dev_mail_detail"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("jobs/", include("jobs.board.urls")),
    path("jobs/", include("jobs.summary.urls")),
    path("staff/", include("jobs.imports.urls")),
    path("employer/", include("jobs.employer.urls")),
    path("staff/review/", include("jobs.moderation.urls")),
    path("", include("jobs.clip.urls")),
    path("", include("jobs.sources.urls")),
    path("", include("tracking.urls")),
]

handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
handler403 = "config.errors.permission_denied"
