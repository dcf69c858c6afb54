"""Recruitee Careers Site API: GET https://{company}.recruitee.com/api/offers/ → {"offers": [{id,
slug, title, description (HTML), requirements (HTML), location, city, state_name, country_code,
remote, hybrid, employment_type_code, department, careers_url, careers_apply_url, published_at,
updated_at, locations: [{city, state, country_code}], salary: {min, max, currency, period}}]}."""

from __future__ import annotations

from jobs.sources.connectors import (
    Job,
    amount,
    employment,
    period,
    place,
    text,
    url_or_token,
    when,
)
from jobs.sources.http import Fetcher, FetchError

CONDITIONAL = True
TEMPLATE = "https://{token}.recruitee.com/api/offers/"


def endpoint_url(endpoint: str) -> str:
    return url_or_token(endpoint, TEMPLATE, "Recruitee company subdomain")


def fetch(fetcher: Fetcher, url: str, *, known: dict[str, str]) -> list[Job]:
    data = fetcher.get(url).json()
    if not isinstance(data, dict) or not isinstance(data.get("offers"), list):
        raise FetchError(f"{url} answered JSON without an “offers” list: not Recruitee.")
    jobs = []
    for item in data["offers"]:
        if not isinstance(item, dict) or item.get("id") is None:
            continue
        places = [
            place(loc.get("city"), loc.get("state"), loc.get("country_code"))
            for loc in item.get("locations") or []
            if isinstance(loc, dict)
        ] or [place(item.get("city"), item.get("state_name"), item.get("country_code"))]
        salary = item.get("salary") or {}
        description = (item.get("description") or "") + (item.get("requirements") or "")
        jobs.append(
            Job(
                external_id=str(item["id"]),
                title=text(item.get("title")),
                description_html=description,
                locations=[p for p in places if p],
                remote=bool(item.get("remote")),
                hybrid=bool(item.get("hybrid")),
                employment_type=employment(item.get("employment_type_code")),
                salary_min=amount(salary.get("min")),
                salary_max=amount(salary.get("max")),
                salary_currency=text(salary.get("currency")),
                salary_period=period(salary.get("period")),
                team=text(item.get("department")),
                apply_url=text(item.get("careers_apply_url") or item.get("careers_url")),
                url=text(item.get("careers_url")),
                updated_at=when(item.get("updated_at") or item.get("published_at")),
            )
        )
    return jobs
