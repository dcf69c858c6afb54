"""Workable's public jobs widget API: GET
https://apply.workable.com/api/v1/widget/accounts/{subdomain}?details=true → {name, description,
jobs: [{title, shortcode, code, employment_type, telecommuting, department, url, shortlink,
application_url, published_on, created_at, country, city, state, locations: [{country,
countryCode, city, region, hidden}], description (with details=true)}]}. One request."""

from __future__ import annotations

from jobs.sources.connectors import Job, employment, place, text, url_or_token, when
from jobs.sources.http import Fetcher, FetchError

CONDITIONAL = True
TEMPLATE = "https://apply.workable.com/api/v1/widget/accounts/{token}?details=true"


def endpoint_url(endpoint: str) -> str:
    return url_or_token(endpoint, TEMPLATE, "Workable account subdomain")


def fetch(fetcher: Fetcher, url: str, *, known: dict[str, str]) -> list[Job]:
    data = fetcher.get(url).json()
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise FetchError(f"{url} answered JSON without a “jobs” list: not a Workable account.")
    jobs = []
    for item in data["jobs"]:
        if not isinstance(item, dict) or not item.get("shortcode"):
            continue
        places = [
            place(loc.get("city"), loc.get("region"), loc.get("countryCode") or loc.get("country"))
            for loc in item.get("locations") or []
            if isinstance(loc, dict) and not loc.get("hidden")
        ] or [place(item.get("city"), item.get("state"), item.get("country"))]
        jobs.append(
            Job(
                external_id=text(item["shortcode"]),
                title=text(item.get("title")),
                description_html=item.get("description") or "",
                locations=[p for p in places if p],
                remote=bool(item.get("telecommuting")),
                employment_type=employment(item.get("employment_type")),
                team=text(item.get("department")),
                apply_url=text(item.get("application_url") or item.get("url")),
                url=text(item.get("url") or item.get("shortlink")),
                updated_at=when(item.get("published_on") or item.get("created_at")),
            )
        )
    return jobs
