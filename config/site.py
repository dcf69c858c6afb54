"""The site's public address (settings.SITE_URL), in one place: every link that leaves the
request (feeds, sitemaps, structured data, emails, calendar files) is built here."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` ("/jobs/1-x/") on the site's public address; a full URL is returned as it is."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def site_host() -> str:
    """The host name of the public address ("jobs.example.org")."""
    return urlsplit(settings.SITE_URL).hostname or "jobtrail.local"


def site_scheme() -> str:
    """ "https" or "http", as the public address says."""
    return urlsplit(settings.SITE_URL).scheme or "https"
