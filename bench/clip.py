"""Clip extraction benchmark: jobs.clip.extract on the fixture pages and on big pages.

    .venv/bin/python bench/clip.py
    .venv/bin/python bench/clip.py --cards 15000 --reps 5

No database: extraction is pure. A "big page" is the aggregator fixture with N cards of other
jobs around it (about 85 bytes each: 15,000 cards is 1.3 MB, a heavy job-site page), once as it
is (no JSON-LD: the main-text path through trafilatura) and once with the JSON-LD posting (the
description comes from JSON-LD and trafilatura is skipped). Prints the median and the worst of
--reps runs in ms.
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


def timed(fn, reps: int) -> tuple[float, float]:
    fn()  # warm-up
    runs = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), max(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=15000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from jobs.clip.extract import extract

    print(f"{'page':36s} {'bytes':>10s} {'median ms':>10s} {'max ms':>8s}")
    for path in sorted(FIXTURES.glob("*.html")):
        html = path.read_text()
        med, worst = timed(lambda html=html: extract(url="https://x.test/", html=html), args.reps)
        print(f"{path.name:36s} {len(html):10d} {med:10.1f} {worst:8.1f}")
    cards = "<div class='card'><a href='/j'>Other job</a><p>Lorem ipsum dolor sit amet.</p></div>"
    for name in ("aggregator.html", "aggregator_jsonld.html"):
        body = (FIXTURES / name).read_text()
        html = body.replace("<body>", "<body>" + cards * args.cards, 1)
        med, worst = timed(lambda html=html: extract(url="https://x.test/", html=html), args.reps)
        print(f"{name + f' + {args.cards} cards':36s} {len(html):10d} {med:10.1f} {worst:8.1f}")


if __name__ == "__main__":
    main()
