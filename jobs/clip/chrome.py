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


# Chrome is a button, a banner sentence or a heading: short. Longer text is never tested, which
# also keeps the patterns (\W* then alternatives) from backtracking over a megabyte-long line.
MAX_CHROME_TEXT = 400


def is_chrome_heading(text: str) -> bool:
    if len(text or "") > MAX_CHROME_TEXT * 4:
        return False
    text = " ".join((text or "").split())
    return len(text) <= MAX_CHROME_TEXT and bool(_CHROME_HEADING.match(text))


def is_chrome_line(text: str) -> bool:
    if len(text or "") > MAX_CHROME_TEXT * 4:
        return False
    text = " ".join((text or "").split())
    return (
        bool(text)
        and len(text) <= MAX_CHROME_TEXT
        and (bool(_CHROME_LINE.match(text)) or bool(_CHROME_HEADING.match(text)))
    )


# NUL and the other C0 controls but tab and newlines: lxml refuses a string holding one, so a
# page with a stray NUL would lose everything.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]+")


def parse_html(html: str):
    try:
        return lxml.html.document_fromstring(_CONTROLS.sub("", html))
    except (etree.ParserError, ValueError):
        return None


def parse_page(html: str):
    """A whole page as a plain lxml tree: elements without lxml.html's Python class lookup,
    which ran for every element touched (a third of the time on a 1.3 MB page). The chrome
    and extraction functions take either kind of tree."""
    try:
        # A parser per call: lxml parsers must not be shared between threads.
        parser = etree.HTMLParser(remove_comments=True, remove_pis=True)
        root = etree.fromstring(_CONTROLS.sub("", html), parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root if root is not None and isinstance(root.tag, str) else None


def strip_html(html: str) -> str:
    """The page without its chrome elements (still HTML)."""
    doc = parse_html(html)
    if doc is None:
        return ""
    strip_tree(doc)
    return lxml.html.tostring(doc, encoding="unicode")


_LEAVES = ("p", "li", "span", "a", "div", "strong", "b", "em", "small", "label")
_INLINE = {"a", "b", "strong", "em", "i", "span", "small", "br", "u", "code"}
# The elements that carry one of the attributes read below (not every element with an
# attribute: on a page of 50,000 links, //*[@*] made an object per link).
_ATTRS_XPATH = "//*[@role or @aria-hidden or @hidden or @id or @class or @data-testid]"


def strip_tree(doc) -> None:
    """Drop the chrome elements of a parsed page, in place."""
    strip_kinds(doc)
    strip_lines(doc)


def strip_kinds(doc) -> None:
    """Drop, in place, the elements that are chrome by their kind: scripts, styles, navigation,
    forms, hidden elements, and those whose id or class says cookie banner, sidebar, similar
    jobs... Linear and mostly in C (lxml's strip_elements, one XPath): on a 1.3 MB page a
    Python walk over every element with a text_content() per wrapper cost seconds."""
    etree.strip_elements(
        doc, etree.Comment, etree.ProcessingInstruction, *_DROP_TAGS, with_tail=False
    )
    doomed = []
    for el in doc.xpath(_ATTRS_XPATH):
        if el.tag in ("html", "body"):
            continue
        if (
            (el.get("role") or "").lower() in _DROP_ROLES
            or el.get("aria-hidden") == "true"
            or el.get("hidden") is not None
        ):
            doomed.append(el)
        elif el.tag != "main":
            attrs = " ".join(filter(None, [el.get("id"), el.get("class"), el.get("data-testid")]))
            if attrs and _CHROME_ATTR.search(attrs):
                doomed.append(el)
    _drop(doomed)


def strip_lines(root) -> None:
    """Drop, in place, the chrome lines and chrome sections under `root` (not `root` itself):
    buttons and banner sentences ("Easy Apply", "Pro Tip: …"), and the block a chrome heading
    opens ("Similar jobs", "AI-Powered Job Summary"). No check reads more than a few hundred
    characters of text. This is the Python-heavy part: extraction runs it on the part of a big
    page that holds the posting (extract.main_part), not on every card around it."""
    doomed = []
    # iter(tags) filters in C, in document order (an XPath union of ten paths sorted its node
    # sets: 3.5 s on a 1.3 MB page).
    for el in list(root.iter(*_LEAVES)):
        # A leaf: few children (a button, a banner line), all inline.
        if el is root or len(el) > 4 or not _only_inline(el):
            continue
        text = short_text(el, MAX_CHROME_TEXT)
        if text is not None and is_chrome_line(text):
            doomed.append(el)
    for el in list(root.iter(*_HEADINGS)):
        text = short_text(el, MAX_CHROME_TEXT)
        if el is root or text is None or not is_chrome_heading(text):
            continue
        # The heading's section goes: its parent when the heading opens it, else the heading
        # and the siblings up to the next heading of the same kind.
        parent = el.getparent()
        if (
            parent is not None
            and parent is not root
            and parent.tag in ("section", "div", "article")
            and (_first_child(parent) is el)
        ):
            doomed.append(parent)
        else:
            doomed.append(el)
            for sib in el.itersiblings():
                if sib.tag in _HEADINGS:
                    break  # a chrome heading there is handled in its own turn (no n² walk)
                doomed.append(sib)
    _drop(doomed)


def _drop(doomed: list) -> None:
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        if el.tail:  # the text after the element stays (what lxml.html's drop_tree does)
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)


def short_text(el, limit: int) -> str | None:
    """The element's text when it has at most `limit` characters, else None; stops reading as
    soon as it knows (itertext is lazy), so a wrapper of the whole page costs no more than a
    button."""
    parts, size = [], 0
    for piece in el.itertext():
        size += len(piece)
        if size > limit * 4:  # whitespace is squeezed below; allow for indentation
            return None
        parts.append(piece)
    text = " ".join("".join(parts).split())
    return text if len(text) <= limit else None


def _only_inline(el, budget: int = 20) -> bool:
    """Only inline elements inside (bounded: more than `budget` descendants is not a leaf)."""
    for count, c in enumerate(el.iterdescendants(), 1):
        if count > budget or (isinstance(c.tag, str) and c.tag not in _INLINE):
            return False
    return True


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
