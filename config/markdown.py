"""The one Markdown renderer of the site: notes (tracking) and employer descriptions (jobs).

Markdown goes through cmark-gfm (GitHub's fork of cmark, the CommonMark reference
implementation in C) through the `cmarkgfm` bindings, then through nh3 (`jobs.sanitize`).

Why this parser: Python-Markdown, used before, is quadratic on unclosed brackets: a note of
`"[" * 10_000` took 12 s and three such notes took down every gunicorn worker (issue 16). cmark
is linear by design: its test suite has a set of pathological inputs (nested brackets,
emphasis runs, backticks, block quotes) that must finish in linear time, and it is fuzzed
continuously (OSS-Fuzz). It follows the CommonMark spec, is well kept (it renders every README
on GitHub; `cmarkgfm` renders every README on PyPI) and is fast: `bench/markdown.py` measures
every such input at the largest field limit in a few milliseconds. markdown-it-py, also linear,
took 175 ms for `"[" * 20_000` (pure Python), over the 50 ms budget of one render.

Features kept from before: CommonMark (headings, lists, links, emphasis, code, quotes), GFM
tables, and for notes a line break as `<br>` (Python-Markdown's nl2br). Raw HTML is let
through to nh3, as Python-Markdown did, which keeps the allowed tags and drops the rest.
"""

from __future__ import annotations

import cmarkgfm
from cmarkgfm.cmark import Options

from jobs.sanitize import clean_html

_OPTIONS = Options.CMARK_OPT_UNSAFE  # raw HTML reaches nh3, which decides what stays
_EXTENSIONS = ["table"]


def render_markdown(text: str, *, hard_breaks: bool = False) -> str:
    """Sanitized HTML of `text`. `hard_breaks`: a newline inside a paragraph is a `<br>`
    (notes, written like messages), instead of a space (descriptions, often hard-wrapped)."""
    options = _OPTIONS | (Options.CMARK_OPT_HARDBREAKS if hard_breaks else 0)
    html = cmarkgfm.markdown_to_html_with_extensions(
        text or "", options=options, extensions=_EXTENSIONS
    )
    return clean_html(html)
