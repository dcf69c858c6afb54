"""HTML from employers and users is cleaned with nh3 (ammonia) before it is stored or shown."""

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3", "h4",
    "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan"},
    "th": {"colspan"},
}


def clean_html(html: str) -> str:
    """Keep structure (headings, lists, links, emphasis); drop scripts, styles, event handlers
    and `javascript:` URLs. Links get rel="noopener noreferrer nofollow"."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def html_to_text(html: str) -> str:
    """Plain text of (already clean) HTML, for search vectors, feeds and summaries."""
    import html as html_lib
    import re

    text = re.sub(r"<(br|/p|/li|/h[1-6]|/tr|/div)\s*/?>", "\n", html or "", flags=re.I)
    text = nh3.clean(text, tags=set())
    return re.sub(r"[ \t]+", " ", html_lib.unescape(text)).strip()
