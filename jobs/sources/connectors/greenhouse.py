"""Greenhouse Job Board API: GET https://boards-api.greenhouse.io/v1/boards/{token}/jobs?content=true
→ {"jobs": [{id, title, updated_at, location: {name}, absolute_url, content (escaped HTML),
departments: [{name}], offices: [{name, location}], metadata}], "meta": {"total"}}. One request."""

from __future__ import annotations

from jobs.sources.connectors import (
    Job,
    looks_remote,
    text,
    unescape_html,
    url_or_token,
    when,
)
from jobs.sources.http import Fetcher, FetchError

CONDITIONAL = True
TEMPLATE = "https://boards-api.greenhouse.io/v1/boards/{token}/jobs?content=true"


def endpoint_url(endpoint: str) -> str:
    url = url_or_token(endpoint, TEMPLATE, "Greenhouse board token")
    if "content=" not in url and "/jobs" in url:
        url += ("&" if "?" in url else "?") + "content=true"
    return url


def fetch(fetcher: Fetcher, url: str, *, known: dict[str, str]) -> list[Job]:
    data = fetcher.get(url).json()
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise FetchError(f"{url} answered JSON without a “jobs” list: not a Greenhouse board.")
    jobs = []
    for item in data["jobs"]:
        if not isinstance(item, dict) or item.get("id") is None:
            continue
        location = text((item.get("location") or {}).get("name"))
        offices = [
            text(o.get("location") or o.get("name"))
            for o in item.get("offices") or []
            if isinstance(o, dict)
        ]
        places = [p for p in offices if p and not looks_remote(p)] or (
            [location] if location and not looks_remote(location) else []
        )
        departments = [text(d) for d in item.get("departments") or [] if isinstance(d, dict)]
        jobs.append(
            Job(
                external_id=str(item["id"]),
                title=text(item.get("title")),
                description_html=unescape_html(item.get("content") or ""),
                locations=places,
                remote=looks_remote(location),
                team=departments[0] if departments else "",
                apply_url=text(item.get("absolute_url")),
                url=text(item.get("absolute_url")),
                updated_at=when(item.get("updated_at")),
                version=text(item.get("updated_at")),
            )
        )
    return jobs
