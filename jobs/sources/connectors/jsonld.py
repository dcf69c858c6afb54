"""Pages carrying schema.org `JobPosting` JSON-LD, listed by a sitemap (<urlset>, or a
<sitemapindex> of them) or by an index page (its own JSON-LD, else its links that look like job
pages, same host only). One request per page; at most MAX_PAGES pages a run."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET  # noqa: N817, S405 - expat refuses entity expansion bombs
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from jobs.sources.connectors import (
    Job,
    amount,
    employment,
    is_url,
    looks_remote,
    period,
    place,
    text,
    unescape_html,
    when,
)
from jobs.sources.http import Fetcher, FetchError

CONDITIONAL = False
MAX_PAGES = 500
JOBISH = re.compile(r"job|career|position|opening|vacanc|stelle", re.I)


def endpoint_url(endpoint: str) -> str:
    endpoint = (endpoint or "").strip()
    if not is_url(endpoint):
        raise ValueError("Give the full https:// URL of the sitemap or of the jobs index page.")
    return endpoint


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.links: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and (values.get("type") or "").lower() == "application/ld+json":
            self._in_ld = True
            self.blocks.append("")
        elif tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.blocks[-1] += data


def _postings(value: Any) -> list[dict]:
    """Every JobPosting in a JSON-LD value (a list, an @graph, an ItemList)."""
    found: list[dict] = []
    if isinstance(value, list):
        for item in value:
            found += _postings(item)
    elif isinstance(value, dict):
        types = value.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(str(t).rsplit("/", 1)[-1] == "JobPosting" for t in types):
            found.append(value)
        for key in ("@graph", "itemListElement", "item"):
            if key in value:
                found += _postings(value[key])
    return found


def map_job_posting(item: dict, page_url: str) -> Job:
    """A schema.org JobPosting as a Job (shared by the feed connector for JSON Feed items)."""
    identifier = item.get("identifier")
    if isinstance(identifier, dict):
        identifier = identifier.get("value") or identifier.get("@value")
    places, remote = [], False
    locations = item.get("jobLocation") or []
    for loc in locations if isinstance(locations, list) else [locations]:
        address = loc.get("address") if isinstance(loc, dict) else loc
        if isinstance(address, dict):
            places.append(
                place(
                    address.get("addressLocality"),
                    address.get("addressRegion"),
                    address.get("addressCountry"),
                )
            )
        elif address:
            places.append(text(address))
    kinds = item.get("jobLocationType")
    if "TELECOMMUTE" in str(kinds).upper():
        remote = True
    kind = item.get("employmentType")
    kind = kind[0] if isinstance(kind, list) and kind else kind
    job = Job(
        external_id=text(identifier) or text(item.get("url")) or page_url,
        title=text(item.get("title")),
        description_html=unescape_html(item.get("description") or ""),
        locations=[p for p in places if p and not looks_remote(p)],
        remote=remote,
        employment_type=employment(text(kind).replace("_", "-")),
        apply_url=text(item.get("url")) or page_url,
        url=page_url,
        updated_at=when(item.get("datePosted")),
        valid_through=when(item.get("validThrough")),
    )
    salary = item.get("baseSalary")
    if isinstance(salary, dict):
        job.salary_currency = text(salary.get("currency"))
        value = salary.get("value")
        if isinstance(value, dict):
            job.salary_min = amount(value.get("minValue", value.get("value")))
            job.salary_max = amount(value.get("maxValue", value.get("value")))
            job.salary_period = period(value.get("unitText"))
    return job


def _page_jobs(body: str, page_url: str) -> tuple[list[Job], list[str]]:
    parser = _Page()
    parser.feed(body)
    jobs = []
    for block in parser.blocks:
        try:
            value = json.loads(block)
        except ValueError:
            continue  # one broken block on a page does not hide the others
        jobs += [map_job_posting(p, page_url) for p in _postings(value)]
    return jobs, [urljoin(page_url, href) for href in parser.links]


def _sitemap_urls(fetcher: Fetcher, body: bytes, url: str, depth: int = 0) -> list[str]:
    try:
        root = ET.fromstring(body)  # noqa: S314 - see the import
    except ET.ParseError as exc:
        raise FetchError(f"{url} answered malformed or truncated XML: {exc}") from exc
    locs = [el.text.strip() for el in root.iter() if el.tag.endswith("loc") and el.text]
    if root.tag.endswith("sitemapindex") and depth == 0:
        urls: list[str] = []
        for child in locs[:20]:
            urls += _sitemap_urls(fetcher, fetcher.get(child, accept="application/xml").body,
                                  child, 1)  # fmt: skip
        return urls
    return locs


def fetch(fetcher: Fetcher, url: str, *, known: dict[str, str]) -> list[Job]:
    first = fetcher.get(url, accept="text/html, application/xml")
    head = first.body[:300].lstrip()
    if head.startswith(b"<?xml") or b"<urlset" in head or b"<sitemapindex" in head:
        pages = _sitemap_urls(fetcher, first.body, url)
    else:
        jobs, links = _page_jobs(first.text(), url)
        if jobs:
            return jobs
        host = urlsplit(url).netloc
        pages = [
            link
            for link in dict.fromkeys(links)
            if urlsplit(link).netloc == host and JOBISH.search(urlsplit(link).path)
            and link.split("#")[0] != url
        ]  # fmt: skip
    jobs = []
    for page in pages[:MAX_PAGES]:
        found, _ = _page_jobs(fetcher.get(page, accept="text/html").text(), page)
        jobs += found
    unique: dict[str, Job] = {}
    for job in jobs:
        unique.setdefault(job.external_id, job)  # the first page that lists it wins
    return list(unique.values())
