"""Sitemaps of published postings and of the companies that have them; robots.txt."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from config.http import HtmxHttpRequest
from config.site import site_scheme
from jobs.models import Company, Posting, PostingStatus


class PostingSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 10_000  # URLs per sitemap page; the index lists the pages

    @property
    def protocol(self) -> str:
        return site_scheme()

    def items(self):
        return Posting.objects.published().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, item: Posting):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item; one aggregate instead.
        return self.items().order_by().aggregate(latest=Max("updated_at"))["latest"]


class CompanySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = 10_000

    @property
    def protocol(self) -> str:
        return site_scheme()

    def items(self):
        return (
            Company.objects.filter(postings__status=PostingStatus.PUBLISHED)
            .distinct()
            .only("pk", "slug")
            .order_by("pk")
        )


SITEMAPS = {"postings": PostingSitemap, "companies": CompanySitemap}

PRIVATE_PATHS = (
    "/account/",
    "/accounts/",
    "/admin/",
    "/staff/",
    "/employer/",
    "/dev/",
    "/saved/",
    "/applications/",
    "/dashboard/",
)


@require_GET
@cache_page(60 * 60)
def robots_txt(request: HtmxHttpRequest):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in PRIVATE_PATHS]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
