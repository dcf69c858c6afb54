"""Ashby public job posting API: GET
https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true → {"jobs": [{id,
title, department, team, employmentType (FullTime…), location, secondaryLocations: [{location,
address}], isRemote, workplaceType, isListed, descriptionHtml, publishedAt, jobUrl, applyUrl,
address: {postalAddress: {addressLocality, addressRegion, addressCountry}}, compensation:
{summaryComponents: [{compensationType, interval, currencyCode, minValue, maxValue}]}}]}."""

from __future__ import annotations

from jobs.sources.connectors import (
    Job,
    amount,
    employment,
    looks_remote,
    period,
    place,
    text,
    url_or_token,
    when,
)
from jobs.sources.http import Fetcher, FetchError

CONDITIONAL = True
TEMPLATE = "https://api.ashbyhq.com/posting-api/job-board/{token}?includeCompensation=true"


def endpoint_url(endpoint: str) -> str:
    return url_or_token(endpoint, TEMPLATE, "Ashby job board name")


def _address(value: dict | None, fallback: str) -> str:
    postal = (value or {}).get("postalAddress") or {}
    got = place(
        postal.get("addressLocality"), postal.get("addressRegion"), postal.get("addressCountry")
    )
    return got or fallback


def _salary(job: Job, compensation: dict | None) -> None:
    for part in (compensation or {}).get("summaryComponents") or []:
        if isinstance(part, dict) and text(part.get("compensationType")).lower() == "salary":
            job.salary_min = amount(part.get("minValue"))
            job.salary_max = amount(part.get("maxValue"))
            job.salary_currency = text(part.get("currencyCode"))
            job.salary_period = period(part.get("interval"))
            return


def fetch(fetcher: Fetcher, url: str, *, known: dict[str, str]) -> list[Job]:
    data = fetcher.get(url).json()
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise FetchError(f"{url} answered JSON without a “jobs” list: not an Ashby job board.")
    jobs = []
    for item in data["jobs"]:
        if not isinstance(item, dict) or item.get("isListed") is False:
            continue
        ident = text(item.get("id")) or text(item.get("jobUrl")).rstrip("/").rsplit("/", 1)[-1]
        if not ident:
            continue
        places = [_address(item.get("address"), text(item.get("location")))]
        for extra in item.get("secondaryLocations") or []:
            if isinstance(extra, dict):
                places.append(_address(extra.get("address"), text(extra.get("location"))))
        workplace = text(item.get("workplaceType")).lower()
        job = Job(
            external_id=ident,
            title=text(item.get("title")),
            description_html=item.get("descriptionHtml") or "",
            locations=[p for p in places if p and not looks_remote(p)],
            remote=bool(item.get("isRemote")) or workplace == "remote",
            hybrid=workplace == "hybrid",
            employment_type=employment(item.get("employmentType")),
            team=text(item.get("team") or item.get("department")),
            apply_url=text(item.get("applyUrl") or item.get("jobUrl")),
            url=text(item.get("jobUrl")),
            updated_at=when(item.get("publishedAt")),
        )
        _salary(job, item.get("compensation"))
        jobs.append(job)
    return jobs
