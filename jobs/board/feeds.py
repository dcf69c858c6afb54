"""RSS and Atom feeds of new published postings, for the whole board or any search.

`/jobs/feed/rss/` and `/jobs/feed/atom/` take the same GET parameters as `/jobs/` (q, location,
country, workplace, type, level, company, salary, posted); with any of them the feed holds that
search's results, newest first. Invalid parameters are ignored, as on the search page.
"""

from __future__ import annotations

import dataclasses

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.text import Truncator

from config.site import site_host
from jobs.board.search import SearchParams, parse_search_params, search_postings
from jobs.models import Posting
from jobs.sanitize import html_to_text

FEED_ITEMS = 50
SUMMARY_WORDS = 60


class NewPostingsFeed(Feed):
    feed_type = Rss201rev2Feed
    feed_kind = "rss"

    def get_object(self, request, *args, **kwargs) -> SearchParams:
        params, _notices = parse_search_params(request.GET)
        return dataclasses.replace(params, sort="newest")

    def _is_search(self, params: SearchParams) -> bool:
        return bool(params.q or params.has_filters)

    def title(self, params: SearchParams) -> str:
        if not self._is_search(params):
            return "New jobs on Jobtrail"
        parts = []
        if params.q:
            parts.append(f"“{params.q}”")
        if params.location:
            parts.append(f"in {params.location}")
        if params.countries:
            parts.append(", ".join(params.countries))
        parts += list(params.workplaces) + list(params.employment_types) + list(params.levels)
        if params.companies:
            parts.append("at " + ", ".join(params.companies))
        if params.min_salary:
            parts.append(f"from {params.min_salary:,}")
        if params.posted_within:
            parts.append(f"posted within {params.posted_within} days")
        return "Jobs: " + " · ".join(parts) + " — Jobtrail"

    def link(self, params: SearchParams) -> str:
        query = dataclasses.replace(params, sort="").querystring()
        return reverse("jobs:list") + (f"?{query}" if query else "")

    def feed_url(self, params: SearchParams) -> str:
        query = dataclasses.replace(params, sort="").querystring()
        url = reverse(f"jobs:feed_{self.feed_kind}")
        return url + (f"?{query}" if query else "")

    def description(self, params: SearchParams) -> str:
        if not self._is_search(params):
            return "The newest published postings on Jobtrail."
        return "The newest published postings matching this search on Jobtrail."

    def items(self, params: SearchParams) -> list[Posting]:
        if not self._is_search(params):
            return list(
                Posting.objects.published()
                .select_related("company")
                .order_by("-published_at", "-id")[:FEED_ITEMS]
            )
        result = search_postings(params, page=1, per_page=FEED_ITEMS, full_rows=True)
        return [hit.posting for hit in result.hits]

    def item_title(self, item: Posting) -> str:
        return f"{item.title} at {item.company.name}"

    def item_description(self, item: Posting) -> str:
        """The summary's overview when the posting has one, else the start of the description;
        plain text either way (the feed generator escapes it)."""
        overview = (item.summary or {}).get("overview") if isinstance(item.summary, dict) else None
        text = " ".join(i.get("text", "") for i in overview or [] if isinstance(i, dict))
        if not text.strip():
            text = html_to_text(item.description)
        return Truncator(" ".join(html_to_text(text).split())).words(SUMMARY_WORDS)

    def item_link(self, item: Posting) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Posting) -> str:
        # Stable across title (slug) changes: a tag URI on the site's host and the posting id.
        host = site_host()
        return f"tag:{host},2025:posting:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Posting):
        return item.published_at

    def item_updateddate(self, item: Posting):
        return max(filter(None, [item.updated_at, item.published_at]), default=None)

    def item_author_name(self, item: Posting) -> str:
        return item.company.name

    def item_categories(self, item: Posting) -> list[str]:
        return [item.get_employment_type_display(), item.get_workplace_display()]


class NewPostingsAtomFeed(NewPostingsFeed):
    feed_type = Atom1Feed
    feed_kind = "atom"
    subtitle = NewPostingsFeed.description
