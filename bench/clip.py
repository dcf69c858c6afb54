"""Clip extraction benchmark: jobs.clip.extract on the fixture pages and on big pages.

    .venv/bin/python bench/clip.py
    .venv/bin/python bench/clip.py --cards 15000 --reps 5

No database: extraction is pure. A "big page" is the aggregator fixture with N cards of other
jobs around it (about 85 bytes each: 15,000 cards is 1.3 MB, a heavy job-site page), once as it
is (no JSON-LD: the main-text path through trafilatura) and once with the JSON-LD posting (the
description comes from JSON-LD and trafilatura is skipped). Then hostile pages of about 2 MB
(tests/jobs/clip/test_extract.py has the same shapes). Prints the median and the worst of --reps
runs in ms, and the median CPU time of the process (steadier than the wall clock on a machine
shared with other work).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "jobs" / "clip" / "fixtures"


def timed(fn, reps: int) -> tuple[float, float, float]:
    fn()  # warm-up
    runs, cpu = [], []
    for _ in range(reps):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(runs), max(runs), statistics.median(cpu)


MB2 = 2_000_000
POSTING = "<div><h2>About</h2><p>Cook dinners at our bistro.</p><ul><li>Grill</li></ul></div>"
CARD = "<div class='card'><a href='/j'>Other job</a><p>Lorem ipsum dolor sit amet.</p></div>"
HOSTILE = {
    "2MB of unclosed <div>": "<html><body><h1>Cook</h1>" + "<div>" * (MB2 // 5) + POSTING,
    "one tag nested deep": "<html><body><h1>Cook</h1>" + "<b>" * (MB2 // 3) + POSTING,
    "lists nested deep": "<html><body><h1>Cook</h1>" + "<ul><li>a" * (MB2 // 9) + POSTING,
    "125k paragraphs": "<html><body><h1>Cook</h1>" + "<p>Cook dinners " * (MB2 // 16),
    "one 2MB line (HTML)": "<html><body><h1>Cook</h1><p>" + "word " * (MB2 // 5),
    "2MB of spans": "<html><body><h1>Cook</h1>" + "<span>Some text</span>" * (MB2 // 22),
    "66k chrome headings": "<html><body><h1>Cook</h1>" + "<h2>Similar jobs</h2><p>x</p>" * (MB2 // 30),
    "50k apply links": "<html><body><h1>Cook</h1>" + "<a href='javascript:x'>Apply</a>" * (MB2 // 35),
    "2MB microdata posting": "<html><body><div itemscope itemtype='https://schema.org/JobPosting'>"
    "<h1 itemprop='title'>Cook</h1><div itemprop='description'>" + "<p>Cook.</p>" * (MB2 // 12),
    "20k cards, no <main>": f"<html><body><h1>Cook</h1>{CARD * 20000}{POSTING}",
    "2MB of NUL bytes": "<html><body><h1>Cook</h1>" + "\x00" * MB2 + POSTING,
    "2MB of Unicode digits": "<html><body><h1>Cook</h1><p>Pay: $٤٥,٠٠٠</p><p>" + "٣" * MB2,
}  # fmt: skip
TEXTS = {
    "text: one 2MB line": "Line Cook\nBistro\n" + "word " * (MB2 // 5),
    "text: 2MB of spaces, chrome": "Line Cook\n" + " " * MB2 + "pro tip",
    "text: 2MB of NUL bytes": "Line Cook\nBistro\n" + "\x00" * MB2,
    "text: 1M Unicode digits": "Cook\nBistro\nPay: $" + "𝟗" * (MB2 // 2),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=15000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--no-hostile", action="store_true", help="skip the hostile pages")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from jobs.clip.extract import extract

    print(f"{'page':36s} {'bytes':>10s} {'median ms':>10s} {'max ms':>8s} {'CPU ms':>8s}")
    for path in sorted(FIXTURES.glob("*.html")):
        html = path.read_text()
        med, worst, cpu = timed(
            lambda html=html: extract(url="https://x.test/", html=html), args.reps
        )
        print(f"{path.name:36s} {len(html):10d} {med:10.1f} {worst:8.1f} {cpu:8.1f}")
    cards = "<div class='card'><a href='/j'>Other job</a><p>Lorem ipsum dolor sit amet.</p></div>"
    for name in ("aggregator.html", "aggregator_jsonld.html"):
        body = (FIXTURES / name).read_text()
        html = body.replace("<body>", "<body>" + cards * args.cards, 1)
        med, worst, cpu = timed(
            lambda html=html: extract(url="https://x.test/", html=html), args.reps
        )
        label = name + f" + {args.cards} cards"
        print(f"{label:36s} {len(html):10d} {med:10.1f} {worst:8.1f} {cpu:8.1f}")
    if args.no_hostile:
        return
    for label, html in HOSTILE.items():
        med, worst, cpu = timed(
            lambda html=html: extract(url="https://x.test/", html=html), args.reps
        )
        print(f"{label:36s} {len(html):10d} {med:10.1f} {worst:8.1f} {cpu:8.1f}")
    for label, text in TEXTS.items():
        med, worst, cpu = timed(
            lambda text=text: extract(url="https://x.test/", text=text), args.reps
        )
        print(f"{label:36s} {len(text):10d} {med:10.1f} {worst:8.1f} {cpu:8.1f}")


if __name__ == "__main__":
    main()
