"""Markdown bench (issue 16, point 1): render time of pathological inputs at the field limits.

    .venv/bin/python bench/markdown.py
    .venv/bin/python bench/markdown.py --reps 7 --old-n 2500 --no-old

Each input is a short unit repeated up to the maximum length of the field that takes it
(config/limits.py): a note (NOTE_BODY, rendered with line breaks) and a posting description
(POSTING_DESCRIPTION; HTML input goes straight to the sanitizer and is measured at the stored
limit, POSTING_DESCRIPTION_HTML, which HTML may reach). It goes through the site's
own path: `config.markdown.render_markdown` = cmark-gfm + the depth guard + nh3, or
`jobs.employer.forms.description_to_html`. Figures are the best of `--reps` runs in CPU time of this
process (wall time on a busy machine also holds the wait for a core). Target: <= 50 ms each.

For comparison, the same units at `--old-n` characters through the renderer this replaced
(Python-Markdown with the note's extensions) and, at the full length, through markdown-it-py in
"commonmark" mode + tables (the other linear parser considered), when they are installed
(`requirements-bench.lock`). Python-Markdown is quadratic: at the full length a single input
takes minutes, so it is measured on the shorter input only.
Nothing touches a database; Django is set up only to import the renderer.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is named markdown.py: drop its folder from the path, so `import markdown` finds
# Python-Markdown.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

UNITS = [
    ("[", "open brackets"),
    ("![", "open images"),
    ("*[", "emphasis + brackets"),
    ("[^", "footnote-like brackets"),
    ("> ", "nested quotes"),
    ("*a", "emphasis run *"),
    ("_a", "emphasis run _"),
    ("**a", "strong run"),
    ("`", "backticks"),
    ("``a", "backtick runs"),
    ("[a](b) ", "links"),
    ("[a](<", "unclosed link destinations"),
    ("<a ", "unclosed HTML tags"),
    ("+ ", "nested lists"),
    ("1. ", "nested ordered lists"),
    ("| a ", "table cells"),
    ("|a|b|\n|-|-|\n", "tables"),
    ("a\n", "short lines"),
]
# HTML input is sanitized, not rendered, and may be as long as the stored column: it is
# measured at POSTING_DESCRIPTION_HTML in the description column.
HTML_UNITS = [
    ("<ul>", "nested HTML lists"),
    ("<div>", "nested HTML blocks"),
    ("<b>", "nested HTML bold"),
    ("<x>", "nested unknown tags"),
    ("<table><tr><td>", "nested HTML tables"),
]


def cpu_ms(func, reps: int) -> float:
    best = float("inf")
    for _ in range(reps):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return best * 1000


def try_ms(func, reps: int) -> str:
    """Like cpu_ms, for the old renderers, which can crash (Python-Markdown recurses once per
    nested list: `"+ " * 2500` raised RecursionError, a 500 on the old site)."""
    try:
        return f"{cpu_ms(func, reps):,.1f}"
    except RecursionError:
        return "RecursionError"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--old-n", type=int, default=2500, help="length for Python-Markdown")
    parser.add_argument("--no-old", action="store_true", help="skip the old renderers")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from config import limits
    from config.markdown import render_markdown
    from jobs.employer.forms import description_to_html

    old = mdit = None
    if not args.no_old:
        try:
            import markdown as old_markdown

            def old(text: str) -> str:
                return old_markdown.markdown(text, extensions=["extra", "sane_lists", "nl2br"])
        except ImportError:
            pass
        try:
            from markdown_it import MarkdownIt

            md = MarkdownIt("commonmark", {"breaks": True, "html": True}).enable("table")
            mdit = md.render
        except ImportError:
            pass

    note_n, desc_n = limits.NOTE_BODY, limits.POSTING_DESCRIPTION
    print(f"load average {os.getloadavg()[0]:.2f}; best of {args.reps}, CPU ms; target <= 50")
    print(
        f"| input | note at {note_n:,} | description at {desc_n:,} "
        f"| Python-Markdown at {args.old_n:,} | markdown-it-py at {desc_n:,} |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    worst = 0.0
    for unit, label in UNITS + HTML_UNITS:
        is_html = (unit, label) in HTML_UNITS
        note = (unit * (note_n // len(unit) + 1))[:note_n]
        n = limits.POSTING_DESCRIPTION_HTML if is_html else desc_n
        desc = (unit * (n // len(unit) + 1))[:n]
        a = cpu_ms(lambda note=note: render_markdown(note, hard_breaks=True), args.reps)
        b = cpu_ms(lambda desc=desc: description_to_html(desc), args.reps)
        worst = max(worst, a, b)
        short = (unit * (args.old_n // len(unit) + 1))[: args.old_n]
        c = try_ms(lambda short=short: old(short), 1) if old and not is_html else "–"
        d = try_ms(lambda desc=desc: mdit(desc), 1) if mdit and not is_html else "–"
        at = f" (at {n:,})" if is_html else ""
        print(f"| `{unit!r}` × n ({label}) | {a:,.1f} | {b:,.1f}{at} | {c} | {d} |")
    print(f"worst: {worst:,.1f} ms ({'within' if worst <= 50 else 'over'} the 50 ms target)")


if __name__ == "__main__":
    main()
