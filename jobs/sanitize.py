"""HTML from employers and users is cleaned with nh3 (ammonia) before it is stored or shown."""

import re

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


# nh3's HTML parser (html5ever) checks the stack of open elements for every tag, so its time
# grows with the square of the nesting depth: 12,500 nested <ul> (50,000 characters) took
# 0.9 s, and `"> " * 25_000` in Markdown is that many nested quotes. Tags nested deeper than
# MAX_DEPTH are dropped before nh3 sees them (their text stays); real documents nest < 10.
MAX_DEPTH = 32
# Void elements never nest; these close their open sibling implicitly, so they hardly nest.
_NOT_NESTING = (
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "li", "p", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
)  # fmt: skip
# An opening or closing tag of an element that nests; the others are skipped by the regex
# itself (in C), so a long table or list costs the Python loop below nothing.
_SKIPPED = "|".join(_NOT_NESTING)
_TAG = re.compile(rf"<(/?)(?!(?:{_SKIPPED})\b)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>", re.I)


def limit_depth(html: str, max_depth: int = MAX_DEPTH) -> str:
    """`html` without the tags nested deeper than `max_depth` (one pass, linear). Not a
    sanitizer: nh3 still decides everything; this only bounds what nh3 has to parse."""
    if html.count("<") <= max_depth:
        return html
    out: list[str] = []
    depth, pos = 0, 0
    dropped: dict[str, int] = {}
    for match in _TAG.finditer(html):
        name = match.group(2).lower()
        keep = True
        if not match.group(1):  # an opening tag
            if depth >= max_depth:
                dropped[name] = dropped.get(name, 0) + 1
                keep = False
            else:
                depth += 1
        elif dropped.get(name):
            dropped[name] -= 1
            keep = False
        elif depth:
            depth -= 1
        if not keep:
            out.append(html[pos : match.start()])
            pos = match.end()
    if pos == 0:
        return html
    out.append(html[pos:])
    return "".join(out)


def clean_html(html: str) -> str:
    """Keep structure (headings, lists, links, emphasis); drop scripts, styles, event handlers
    and `javascript:` URLs. Links get rel="noopener noreferrer nofollow"."""
    return nh3.clean(
        limit_depth(html or ""),
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
