"""Lever Postings API: GET https://api.lever.co/v0/postings/{site}?mode=json&skip=N&limit=M
→ [{id, text (title), categories: {commitment, department, team, location, allLocations},
country, workplaceType, description, lists: [{text, content}], additional, hostedUrl, applyUrl,
createdAt (ms), salaryRange: {min, max, currency, interval}}]. Paged with skip / limit."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from jobs.sources.connectors import Job, amount, employment, period, place, text, url_or_token, when
from jobs.sources.http import Fetcher, FetchError

CONDITIONAL = False
TEMPLATE = "https://api.lever.co/v0/postings/{token}?mode=json"
PAGE = 100
MAX_PAGES = 100


def endpoint_url(endpoint: str) -> str:
    url = url_or_token(endpoint, TEMPLATE, "Lever site name")
    if "mode=json" not in url:
        url += ("&" if "?" in url else "?") + "mode=json"
    return url


def _page(url: str, skip: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("skip", "limit")]
    query += [("skip", str(skip)), ("limit", str(PAGE))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _description(item: dict) -> str:
    html = item.get("description") or ""
    for block in item.get("lists") or []:
        if isinstance(block, dict):
            html += f"<h3>{text(block.get('text'))}</h3><ul>{block.get('content') or ''}</ul>"
    return html + (item.get("additional") or "")


def fetch(fetcher: Fetcher, url: str, *, known: dict[str, str]) -> list[Job]:
    jobs: list[Job] = []
    for n in range(MAX_PAGES):
        data = fetcher.get(_page(url, n * PAGE)).json()
        if not isinstance(data, list):
            raise FetchError(f"{url} answered JSON that is not a list of postings: not Lever.")
        for item in data:
            if not isinstance(item, dict) or not item.get("id"):
                continue
            cats = item.get("categories") or {}
            places = [text(p) for p in cats.get("allLocations") or [] if text(p)] or (
                [text(cats.get("location"))] if text(cats.get("location")) else []
            )
            country = text(item.get("country"))
            if country:
                places = [p if p.count(",") >= 1 else place(p, country) for p in places]
            salary = item.get("salaryRange") or {}
            workplace = text(item.get("workplaceType")).lower()
            jobs.append(
                Job(
                    external_id=str(item["id"]),
                    title=text(item.get("text")),
                    description_html=_description(item),
                    locations=[p for p in places if "remote" not in p.lower()],
                    remote=workplace == "remote",
                    hybrid=workplace == "hybrid",
                    employment_type=employment(cats.get("commitment")),
                    salary_min=amount(salary.get("min")),
                    salary_max=amount(salary.get("max")),
                    salary_currency=text(salary.get("currency")),
                    salary_period=period(salary.get("interval")),
                    team=text(cats.get("team") or cats.get("department")),
                    apply_url=text(item.get("applyUrl") or item.get("hostedUrl")),
                    url=text(item.get("hostedUrl")),
                    updated_at=when(item.get("createdAt")),
                )
            )
        if len(data) < PAGE:
            break
    return jobs
