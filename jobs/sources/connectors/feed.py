"""RSS 2.0, Atom and JSON Feed 1.1: one entry per job (id/guid, title, link, content or summary,
updated). JSON Feed items may carry a schema.org JobPosting under `_jobposting` (our own feed does)
for locations, type and salary. One request."""

from __future__ import annotations

import datetime as dt

import feedparser

from jobs.sources.connectors import Job, is_url, text, when
from jobs.sources.connectors.jsonld import map_job_posting
from jobs.sources.http import Fetcher, FetchError

CONDITIONAL = True


def endpoint_url(endpoint: str) -> str:
    endpoint = (endpoint or "").strip()
    if not is_url(endpoint):
        raise ValueError("Give the full https:// URL of the RSS, Atom or JSON feed.")
    return endpoint


def _json_feed(data: dict, url: str) -> list[Job]:
    jobs = []
    for item in data.get("items") or []:
        if not isinstance(item, dict) or not (item.get("id") or item.get("url")):
            continue
        extra = item.get("_jobposting")
        job = map_job_posting(extra, text(item.get("url"))) if isinstance(extra, dict) else None
        job = job or Job(external_id="", title="")
        job.external_id = text(item.get("id") or item.get("url"))
        job.title = text(item.get("title")) or job.title
        job.description_html = (
            item.get("content_html") or job.description_html or text(item.get("content_text"))
        )
        job.url = job.apply_url = text(item.get("url")) or job.url
        job.updated_at = when(item.get("date_modified") or item.get("date_published"))
        jobs.append(job)
    return jobs


def fetch(fetcher: Fetcher, url: str, *, known: dict[str, str]) -> list[Job]:
    response = fetcher.get(
        url, accept="application/feed+json, application/atom+xml, application/rss+xml, */*"
    )
    if response.body.lstrip()[:1] == b"{":
        data = response.json()
        if not isinstance(data, dict) or "items" not in data:
            raise FetchError(f"{url} answered JSON that is not a JSON Feed (no “items”).")
        return _json_feed(data, url)
    parsed = feedparser.parse(response.body)
    if not parsed.entries and (parsed.bozo or not parsed.feed):
        raise FetchError(
            f"{url} answered something that is not an RSS or Atom feed "
            f"({text(getattr(parsed, 'bozo_exception', '')) or response.content_type})."
        )
    jobs = []
    for entry in parsed.entries:
        ident = text(entry.get("id") or entry.get("link"))
        if not ident:
            continue
        content = entry.get("content")
        body = content[0].get("value") if content else entry.get("summary", "")
        stamp = entry.get("published_parsed")
        updated_at = None
        if stamp:
            year, month, day, hour, minute, second = stamp[:6]
            updated_at = dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
        jobs.append(
            Job(
                external_id=ident,
                title=text(entry.get("title")),
                description_html=body or "",
                apply_url=text(entry.get("link")),
                url=text(entry.get("link")),
                updated_at=updated_at,
            )
        )
    return jobs
