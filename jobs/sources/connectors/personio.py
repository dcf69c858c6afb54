"""Personio's public XML feed: GET https://{company}.jobs.personio.de/xml?language=en →
<workzag-jobs><position><id/><office/><additionalOffices><office/></additionalOffices>
<department/><name/><jobDescriptions><jobDescription><name/><value>(HTML)</value>
</jobDescription></jobDescriptions><employmentType/><schedule/><createdAt/></position>…
Offices are bare city names: the source's default country completes them."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: N817, S405 - expat refuses entity expansion bombs

from jobs.sources.connectors import Job, employment, text, url_or_token, when
from jobs.sources.http import Fetcher, FetchError

CONDITIONAL = True
TEMPLATE = "https://{token}.jobs.personio.de/xml?language=en"


def endpoint_url(endpoint: str) -> str:
    return url_or_token(endpoint, TEMPLATE, "Personio company subdomain")


def _t(node: ET.Element, path: str) -> str:
    found = node.find(path)
    return text(found.text) if found is not None else ""


def fetch(fetcher: Fetcher, url: str, *, known: dict[str, str]) -> list[Job]:
    response = fetcher.get(url, accept="application/xml, text/xml")
    try:
        root = ET.fromstring(response.body)  # noqa: S314 - see the import
    except ET.ParseError as exc:
        raise FetchError(f"{url} answered malformed or truncated XML: {exc}") from exc
    if root.tag != "workzag-jobs":
        raise FetchError(f"{url} answered XML that is not a Personio feed (<{root.tag}>).")
    base = url.split("/xml", 1)[0]
    jobs = []
    for pos in root.findall("position"):
        ident = _t(pos, "id")
        if not ident:
            continue
        offices = [_t(pos, "office")] + [
            text(o.text) for o in pos.findall("additionalOffices/office")
        ]
        html = "".join(
            f"<h3>{_t(d, 'name')}</h3>{(d.findtext('value') or '').strip()}"
            for d in pos.findall("jobDescriptions/jobDescription")
        )
        schedule = _t(pos, "schedule")
        kind = employment(schedule) if schedule else ""
        if _t(pos, "employmentType") in ("intern", "trainee", "freelance"):
            kind = employment(_t(pos, "employmentType"))
        jobs.append(
            Job(
                external_id=ident,
                title=_t(pos, "name"),
                description_html=html,
                locations=[o for o in offices if o and o.lower() != "remote"],
                remote=any(o.lower() == "remote" for o in offices),
                employment_type=kind,
                team=_t(pos, "department"),
                apply_url=f"{base}/job/{ident}",
                url=f"{base}/job/{ident}",
                updated_at=when(_t(pos, "createdAt")),
            )
        )
    return jobs
