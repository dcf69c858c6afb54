"""Google JobPosting JSON-LD and Open Graph data of a posting page."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from config.site import absolute_url
from jobs.models import EmploymentType, Location, Posting, Workplace
from jobs.sanitize import clean_html, html_to_text

EMPLOYMENT_TYPES = {
    EmploymentType.FULL_TIME: "FULL_TIME",
    EmploymentType.PART_TIME: "PART_TIME",
    EmploymentType.CONTRACT: "CONTRACTOR",
    EmploymentType.INTERNSHIP: "INTERN",
    EmploymentType.TEMPORARY: "TEMPORARY",
}
SALARY_UNITS = {"hour": "HOUR", "day": "DAY", "week": "WEEK", "month": "MONTH", "year": "YEAR"}

# Like django.utils.html.json_script: nothing in the data can close the <script> element.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def posting_json_ld(posting: Posting, locations: Sequence[Location]) -> dict[str, Any]:
    company = posting.company
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": clean_html(posting.description),
        "url": absolute_url(posting.get_absolute_url()),
        "datePosted": posting.published_at.isoformat() if posting.published_at else None,
        "validThrough": posting.expires_at.isoformat() if posting.expires_at else None,
        "employmentType": EMPLOYMENT_TYPES.get(posting.employment_type, "OTHER"),
        "hiringOrganization": {
            "@type": "Organization",
            "name": company.name,
            "sameAs": company.website or absolute_url(company.get_absolute_url()),
            "url": absolute_url(company.get_absolute_url()),
        },
        "identifier": {"@type": "PropertyValue", "name": company.name, "value": str(posting.pk)},
        "directApply": False,
    }
    physical = [
        {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                **({"addressLocality": loc.city} if loc.city else {}),
                **({"addressRegion": loc.region} if loc.region else {}),
                "addressCountry": loc.country.code,
            },
        }
        for loc in locations
    ]
    if posting.workplace == Workplace.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        codes = sorted({loc.country.code: loc.country.name for loc in locations}.items())  # by code
        if codes:
            data["applicantLocationRequirements"] = [
                {"@type": "Country", "name": name} for _, name in codes
            ]
    elif physical:
        data["jobLocation"] = physical if len(physical) > 1 else physical[0]
    if posting.salary_min is not None or posting.salary_max is not None:
        value: dict[str, Any] = {
            "@type": "QuantitativeValue",
            "unitText": SALARY_UNITS.get(posting.salary_period, "YEAR"),
        }
        if posting.salary_min is not None and posting.salary_max is not None:
            if posting.salary_min == posting.salary_max:
                value["value"] = posting.salary_min
            else:
                value["minValue"] = posting.salary_min
                value["maxValue"] = posting.salary_max
        else:
            value["value"] = (
                posting.salary_min if posting.salary_min is not None else posting.salary_max
            )
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": posting.salary_currency or "USD",
            "value": value,
        }
    return {k: v for k, v in data.items() if v is not None}


def json_ld_script(data: dict[str, Any]) -> SafeString:
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


def posting_plain_summary(posting: Posting, length: int = 40) -> str:
    """A short plain-text teaser for <meta name=description> and og:description."""
    return Truncator(" ".join(html_to_text(posting.description).split())).words(length)
