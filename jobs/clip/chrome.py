"""Page chrome: what a job site, an aggregator or a browser copy puts around a posting.

Navigation, cookie banners, "similar jobs", share buttons, and an aggregator's own blocks ("Track
This Job", "AI-Powered Job Summary", "Pro Tip: …") sit above or beside the real posting. None of
it may be stored as the job's description or become a summary item. Two levels:

- `strip_html` drops chrome elements from a page before its main text is taken;
- `strip_text` drops chrome lines (and the block a chrome heading introduces) from plain text,
  which is what a copied page looks like. The summary engine uses `is_chrome_heading` and
  `is_chrome_line` on whole pages handed to it.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

# A heading that introduces a block of chrome: everything under it goes too.
_CHROME_HEADING = re.compile(
    r"^\W*(?:track this job|save this job|ai[- ]powered (?:job )?summary|job summary by ai"
    r"|pro tips?|people also (?:viewed|searched|applied)|similar (?:jobs|roles|positions)"
    r"|(?:more|other|related|recommended) jobs(?: (?:at|from|like this)\b.*)?|jobs you may like"
    r"|set (?:an? )?(?:job )?alert.*|get (?:job )?alerts.*|cookie (?:settings|preferences|policy|notice)"
    r"|we (?:use|value) cookies.*|your privacy(?: choices)?|share this (?:job|posting|role)"
    r"|report this job|explore (?:more )?jobs.*|trending searches|popular searches"
    r"|meet the hiring team|about the (?:job board|site)|sign in to (?:apply|save|see).*"
    r"|(?:looking for|find) more jobs.*|recently viewed(?: jobs)?|saved jobs|your job alerts)\W*$",
    re.I,
)
# A line that is chrome on its own (a button, a banner sentence, an aggregator's tip).
_CHROME_LINE = re.compile(
    r"^\W*(?:easy apply|apply now|apply on (?:company|employer) (?:site|website)|show more|show less"
    r"|see more|see less|read more|report this job|save|saved|share|copy link|follow|unfollow"
    r"|people also viewed|set alert for similar jobs|set alert|create (?:a )?job alert|dismiss"
    r"|accept(?: all)?(?: cookies)?|reject(?: all)?(?: cookies)?|manage (?:cookies|preferences)"
    r"|cookie settings|got it|close|skip to (?:main )?content|sign in|sign up|log in|join now"
    r"|back to (?:all )?(?:jobs|search|results)|view all jobs|print|email this job|track this job"
    r"|save this job|ai-powered job summary|\d+ (?:applicants?|clicks? on apply)"
    r"|(?:be an early applicant|actively recruiting|promoted|reposted)\b.*"
    r"|over \d+ applicants|\d+ (?:days?|weeks?|hours?|months?) ago(?: ·.*)?)\W*$"
    r"|^\W*(?:pro tip|tip|ai summary|add this job to your (?:tracking )?list|we use cookies"
    r"|this (?:site|website) uses cookies|by (?:clicking|continuing|using this site)"
    r"|you(?:'ve| have) (?:already )?(?:saved|applied)|get notified (?:about|when)"
    r"|sign in to|join to apply|see who .* has hired|track your application)\b.*$",
    re.I,
)
_CHROME_ATTR = re.compile(
    r"cookie|consent|gdpr|onetrust|similar|related-jobs|recommend|also-viewed|people-also"
    r"|newsletter|social-share|share-buttons|breadcrumb|modal|popup|job-alert|track-this|save-job"
    r"|ai-summary|pro-tip|sidebar|site-header|site-footer|top-card-actions|sign-in",
    re.I,
)
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "nav", "header",
              "footer", "aside", "form", "button", "dialog", "select", "input")  # fmt: skip
_DROP_ROLES = {"navigation", "banner", "contentinfo", "dialog", "complementary", "search", "alert"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b")


def is_chrome_heading(text: str) -> bool:
    return bool(_CHROME_HEADING.match(" ".join((text or "").split())))


def is_chrome_line(text: str) -> bool:
    text = " ".join((text or "").split())
    return bool(text) and (bool(_CHROME_LINE.match(text)) or is_chrome_heading(text))


def parse_html(html: str):
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def strip_html(html: str) -> str:
    """The page without its chrome elements (still HTML)."""
    doc = parse_html(html)
    if doc is None:
        return ""
    strip_tree(doc)
    return lxml.html.tostring(doc, encoding="unicode")


def strip_tree(doc) -> None:
    doomed = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            doomed.append(el)  # comments, processing instructions
            continue
        if el.tag in _DROP_TAGS or (el.get("role") or "").lower() in _DROP_ROLES:
            doomed.append(el)
            continue
        if el.get("aria-hidden") == "true" or el.get("hidden") is not None:
            doomed.append(el)
            continue
        attrs = " ".join(filter(None, [el.get("id"), el.get("class"), el.get("data-testid")]))
        if attrs and _CHROME_ATTR.search(attrs) and el.tag not in ("html", "body", "main"):
            doomed.append(el)
            continue
        if (
            # len(el) first: a button or a banner line has few children, and text_content()
            # of every wrapper would walk the page once per level.
            el.tag in _LEAVES
            and len(el) <= 4
            and _only_inline(el)
            and len(el.text_content()) <= 300
            and is_chrome_line(el.text_content())
        ):
            doomed.append(el)
            continue
        if el.tag in _HEADINGS and is_chrome_heading(el.text_content()):
            # The heading's section goes: its parent when the heading opens it, else the heading
            # and the siblings up to the next heading of the same kind.
            parent = el.getparent()
            if (
                parent is not None
                and parent.tag in ("section", "div", "article")
                and (_first_child(parent) is el)
            ):
                doomed.append(parent)
            else:
                doomed.append(el)
                for sib in el.itersiblings():
                    if sib.tag in _HEADINGS and not is_chrome_heading(sib.text_content()):
                        break
                    doomed.append(sib)
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()


_LEAVES = ("p", "li", "span", "a", "div", "strong", "b", "em", "small", "label")
_INLINE = {"a", "b", "strong", "em", "i", "span", "small", "br", "u", "code"}


def _only_inline(el) -> bool:
    return all(not isinstance(c.tag, str) or c.tag in _INLINE for c in el.iterdescendants())


def _first_child(el):
    for child in el:
        if isinstance(child.tag, str):
            return child
    return None


_BULLET = re.compile(r"^\s*(?:[-*•·▪–]|\d+[.)])\s+")


def strip_text(text: str) -> str:
    """Plain text without chrome lines. A chrome heading takes the paragraph or list under it
    (up to the next blank line) along."""
    out: list[str] = []
    skipping = False
    for line in (text or "").splitlines():
        bare = line.strip()
        if not bare:
            if skipping and out and out[-1] == "":
                pass
            skipping = False
            if out and out[-1] != "":
                out.append("")
            continue
        if is_chrome_heading(bare) or (is_chrome_line(bare) and bare.endswith(":")):
            skipping = True
            continue
        if is_chrome_line(bare):
            continue
        if skipping:
            continue
        out.append(line.rstrip())
    return "\n".join(out).strip()
