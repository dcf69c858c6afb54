"""Turn a posting (sanitized HTML, Markdown or plain text) into blocks and one plain text.

The plain text — `source_text(posting_text)` — is what every span of a summary points into: the
blocks (headings, paragraphs, list items) of the posting, one per line, joined by "\\n", with
Markdown markers and HTML tags removed. It reads like the rendered posting, so a quote taken
from it can be found again on the posting page.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser

# Longer postings are cut here: a summary of the first 60,000 characters is as good as any, and
# the work stays bounded whatever an importer brings in.
MAX_TEXT = 60_000

HEADING, PARAGRAPH, BULLET = "heading", "paragraph", "bullet"


@dataclass
class Block:
    kind: str  # heading | paragraph | bullet
    text: str
    start: int = 0
    end: int = 0
    links_only: bool = False


@dataclass
class Sentence:
    text: str
    start: int
    end: int
    block: Block

    @cached_property
    def low(self) -> str:
        return self.text.lower()


_HTML_HINT = re.compile(r"<(?:p|li|h[1-6]|ul|ol|div|br|strong|b|table|span|a)\b", re.I)
_BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "tr", "dt", "dd",
               "blockquote", "pre", "ul", "ol", "table", "section", "article", "header",
               "footer", "br", "hr"}  # fmt: skip
_SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template", "nav", "button"}
_WS = re.compile(r"\s+")


class _HTMLBlocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._parts: list[str] = []
        self._bold_chars = 0
        self._link_chars = 0
        self._bold = 0
        self._link = 0
        self._skip = 0
        self._kind = PARAGRAPH

    def _flush(self) -> None:
        text = _WS.sub(" ", "".join(self._parts)).strip()
        if text:
            kind = self._kind
            n = len(re.sub(r"\s", "", text))
            if kind == PARAGRAPH and self._bold_chars >= n and len(text) <= 80:
                kind = HEADING  # a paragraph that is only <strong>…</strong>
            self.blocks.append(Block(kind, text, links_only=self._link_chars >= n))
        self._parts, self._bold_chars, self._link_chars = [], 0, 0
        self._kind = PARAGRAPH

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt"):
                self._kind = HEADING
            elif tag == "li":
                self._kind = BULLET
        elif tag in ("strong", "b"):
            self._bold += 1
        elif tag == "a":
            self._link += 1

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()
        elif tag in ("strong", "b"):
            self._bold = max(0, self._bold - 1)
        elif tag == "a":
            self._link = max(0, self._link - 1)

    def handle_data(self, data):
        if self._skip:
            return
        self._parts.append(data)
        n = len(re.sub(r"\s", "", data))
        if self._bold:
            self._bold_chars += n
        if self._link:
            self._link_chars += n


_HTML_TOKEN = re.compile(
    r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>|<[!?][^>]*>|([^<]+|<)", re.S
)


def _html_blocks(raw: str) -> list[Block]:
    """Blocks of (sanitized) HTML. A regular-expression tokenizer: html.parser is five times
    slower, and nh3's output is well-formed."""
    parser = _HTMLBlocks()
    for m in _HTML_TOKEN.finditer(raw):
        closing, tag, data = m.groups()
        if data is not None:
            parser.handle_data(html_lib.unescape(data))
        elif tag:
            tag = tag.lower()
            if closing:
                parser.handle_endtag(tag)
            else:
                parser.handle_starttag(tag, [])
    parser._flush()
    return parser.blocks


_MD_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_MD_BOLD_LINE = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$")
_BULLET = re.compile(r"^(?:[-*+•·‣◦▪●○■–—>]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+(.+)$")
_COLON_HEADING = re.compile(r"^([A-Z\u00c0-\u024f][^.!?:]{1,60}):$")
_URL_ONLY = re.compile(r"^(?:<?https?://\S+>?|www\.\S+|\[[^\]]*\]\([^)]*\))$", re.I)
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^)]*)\)")
_MD_MARKS = re.compile(r"(\*\*|__|`+|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*]))")
_HEADING_WORDS = re.compile(
    r"\b(responsibilit|requirement|qualification|benefit|perks|about|what you|who you|you will"
    r"|you'll|your role|the role|duties|skills|experience|nice to have|bonus|preferred|we offer"
    r"|compensation|salary|location|how to apply|overview|description|summary|mission|team"
    r"|looking for|bring|profile|aufgaben|anforderungen|profil|wir bieten|missions|requisitos"
    r"|responsabilidades|avantages)",
    re.I,
)


def _clean_inline(line: str) -> str:
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_MARKS.sub("", line)
    return _WS.sub(" ", line).strip()


def _is_plain_heading(line: str, next_line: str) -> bool:
    words = line.split()
    if not words or len(words) > 8 or len(line) > 70 or line[-1] in ".,;!?":
        return False
    letters = [c for c in line if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) >= 3:
        return True
    return bool(_HEADING_WORDS.search(line)) and (not next_line or bool(_BULLET.match(next_line)))


def _text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []

    def flush():
        if para:
            joined = _WS.sub(" ", " ".join(para)).strip()
            if joined:
                blocks.append(Block(PARAGRAPH, joined))
            para.clear()

    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    for i, raw in enumerate(lines):
        if not raw:
            flush()
            continue
        nxt = next((ln for ln in lines[i + 1 :] if ln), "")
        if m := _MD_HEADING.match(raw):
            flush()
            blocks.append(Block(HEADING, _clean_inline(m.group(1))))
        elif m := _MD_BOLD_LINE.match(raw):
            flush()
            blocks.append(Block(HEADING, _clean_inline(m.group(1)).rstrip(":")))
        elif m := _BULLET.match(raw):
            flush()
            body = m.group(1)
            blocks.append(
                Block(BULLET, _clean_inline(body), links_only=bool(_URL_ONLY.match(body)))
            )
        elif (m := _COLON_HEADING.match(raw)) and len(m.group(1).split()) <= 8:
            flush()
            blocks.append(Block(HEADING, _clean_inline(m.group(1))))
        elif _is_plain_heading(raw, nxt):
            flush()
            blocks.append(Block(HEADING, _clean_inline(raw)))
        elif _URL_ONLY.match(raw):
            flush()
            blocks.append(Block(PARAGRAPH, _clean_inline(raw), links_only=True))
        else:
            # A line ending a sentence closes its paragraph (plain-text postings often put one
            # point per line); a hard-wrapped line continues it.
            para.append(raw)
            ends = raw[-1] in ".!?:" and (not nxt or nxt[0].isupper() or not nxt[0].isalpha())
            if ends or len(raw) < 50:  # a short line ("Share this job") is not hard-wrapped text
                flush()
    flush()
    return [b for b in blocks if b.text]


def parse(posting_text: str) -> tuple[str, list[Block]]:
    """Blocks of the posting and the source text they are laid out in (offsets set)."""
    raw = posting_text or ""
    if _HTML_HINT.search(raw):
        blocks = _html_blocks(raw[: MAX_TEXT * 4])
    else:
        blocks = _text_blocks(raw[: MAX_TEXT * 2])
    out: list[Block] = []
    pos = 0
    for block in blocks:
        text = block.text
        if pos + len(text) > MAX_TEXT:
            break
        block.start, block.end = pos, pos + len(text)
        out.append(block)
        pos = block.end + 1
    return "\n".join(b.text for b in out), out


def source_text(posting_text: str) -> str:
    """The text a summary's spans point into."""
    return parse(posting_text)[0]


_ABBREV = {"e.g", "i.e", "etc", "inc", "ltd", "co", "corp", "dr", "mr", "mrs", "jr",
           "sr", "vs", "approx", "dept", "u.s", "u.k",
           "st", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul",
           "aug", "sep", "sept", "oct", "nov", "dec", "min", "max", "incl"}  # fmt: skip
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9\u00c0-\u024f•])")


def sentences(block: Block) -> list[Sentence]:
    """Split a block into sentences; a bullet is one sentence unless it is long."""
    text = block.text
    if block.kind == HEADING:
        return [Sentence(text, block.start, block.end, block)]
    out: list[Sentence] = []
    begin = 0
    for m in _BOUNDARY.finditer(text):
        before = text[begin : m.start() + 1]
        last = re.search(r"([\w.]+)[.!?…]*$", before)
        word = last.group(1).rstrip(".").lower() if last else ""
        if word in _ABBREV or (len(word) == 1 and word.isalpha()):
            continue
        piece_end = m.start() + len(m.group(0).rstrip())
        if text[begin:piece_end].strip():
            out.append(_make(text, begin, piece_end, block))
        begin = m.end()
    if text[begin:].strip():
        out.append(_make(text, begin, len(text), block))
    return out


def _make(text: str, a: int, b: int, block: Block) -> Sentence:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return Sentence(text[a:b], block.start + a, block.start + b, block)
