"""SmartRecruiters Posting API: GET
https://api.smartrecruiters.com/v1/companies/{company}/postings?offset=N&limit=100 →
{offset, limit, totalFound, content: [{id, name, releasedDate, location: {city, region, country,
remote, hybrid}, department: {label}, typeOfEmployment: {label}, ref}]}; the text of each posting
is one more GET of its `ref` → {jobAd: {sections: {jobDescription: {title, text}, qualifications,
additionalInformation}}, applyUrl, postingUrl}. A posting whose releasedDate is unchanged since the
last sync is not read again."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from jobs.sources.connectors import Job, employment, place, text, url_or_token, when
from jobs.sources.http import Fetcher, FetchError

CONDITIONAL = False
TEMPLATE = "https://api.smartrecruiters.com/v1/companies/{token}/postings"
PAGE = 100
MAX_PAGES = 100
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


def endpoint_url(endpoint: str) -> str:
    return url_or_token(endpoint, TEMPLATE, "SmartRecruiters company identifier")


def _page(url: str, offset: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("offset", "limit")]
    query += [("offset", str(offset)), ("limit", str(PAGE))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _details(fetcher: Fetcher, job: Job, ref: str) -> None:
    data = fetcher.get(ref).json()
    sections = ((data or {}).get("jobAd") or {}).get("sections") or {}
    html = ""
    for key in SECTIONS:
        part = sections.get(key) or {}
        if part.get("text"):
            html += f"<h3>{text(part.get('title'))}</h3>{part['text']}"
    job.description_html = html
    job.apply_url = text(data.get("applyUrl") or data.get("postingUrl")) or job.apply_url
    job.url = text(data.get("postingUrl")) or job.url


def fetch(fetcher: Fetcher, url: str, *, known: dict[str, str]) -> list[Job]:
    jobs: list[Job] = []
    for n in range(MAX_PAGES):
        data = fetcher.get(_page(url, n * PAGE)).json()
        if not isinstance(data, dict) or not isinstance(data.get("content"), list):
            raise FetchError(f"{url} answered JSON without “content”: not SmartRecruiters.")
        for item in data["content"]:
            if not isinstance(item, dict) or not item.get("id"):
                continue
            loc = item.get("location") or {}
            ident, version = str(item["id"]), text(item.get("releasedDate"))
            job = Job(
                external_id=ident,
                title=text(item.get("name")),
                locations=[p for p in [place(loc.get("city"), loc.get("region"),
                                             text(loc.get("country")).upper())] if p],
                remote=bool(loc.get("remote")),
                hybrid=bool(loc.get("hybrid")),
                employment_type=employment(item.get("typeOfEmployment")),
                team=text(item.get("department")),
                updated_at=when(item.get("releasedDate")),
                version=version,
            )  # fmt: skip
            if version and known.get(ident) == version:
                job.keep = True
            elif item.get("ref"):
                _details(fetcher, job, str(item["ref"]))
            jobs.append(job)
        total = data.get("totalFound")
        if not data["content"] or (isinstance(total, int) and (n + 1) * PAGE >= total):
            break
    return jobs
