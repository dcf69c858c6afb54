"""`{% company_logo company %}`: the company's logo, or a monogram (its initials on a colour
derived from its name) when it has none."""

from __future__ import annotations

import hashlib

from django import template
from django.utils.html import format_html

register = template.Library()


# The page's CSP allows no inline styles, so the colours are classes (.monogram-0 … -11 in
# jobtrail.css), each dark enough for white text (contrast above 4.5:1).
MONOGRAM_COLOURS = 12


def monogram(name: str) -> tuple[str, int]:
    """(initials, colour index) for a name: "Acme Robotics" → ("AR", 7). The colour is stable
    for a name."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    initials = "".join(w[0] for w in words[:2]).upper() or "?"
    return initials, int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % MONOGRAM_COLOURS


@register.simple_tag
def company_logo(company, size: int = 48) -> str:
    if company.logo_url:
        return format_html(
            '<img class="company-logo logo-{}" src="{}" alt="" width="{}" height="{}"'
            ' loading="lazy">',
            size,
            company.logo_url,
            size,
            size,
        )
    initials, colour = monogram(company.name)
    return format_html(
        '<span class="company-logo logo-{} company-monogram monogram-{}" aria-hidden="true">'
        "{}</span>",
        size,
        colour,
        initials,
    )
