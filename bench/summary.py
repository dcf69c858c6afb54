"""Summary benchmark: the local engine over the demo postings; postings per second, p50/p95.

    .venv/bin/python bench/summary.py
    .venv/bin/python bench/summary.py --reps 5

The set: the demo board's generated postings (jobs/demo.py's generator, run without a database,
about 400 postings plus the seed internship) and the engine's own samples of other shapes
(jobs/summary/samples.py: Markdown, plain text, no headings, German). Each posting is summarized
`--reps` times after one warm-up pass; wall and CPU time are measured around each call (CPU time
is the engine's own cost; wall time also holds any wait for a CPU on a busy machine). The
vocabulary's one-off load (once per process) is reported apart. Target: <= 20 ms per posting.
Nothing is written to any database; Django is set up only to import the generator.
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


def postings() -> list[tuple[str, str, str]]:
    """(source, title, description) for every posting of the set."""
    from jobs.summary.samples import SAMPLES

    out = [("samples", title, body) for title, body in SAMPLES.values()]
    try:
        import datetime as dt
        import random
        from collections import defaultdict

        from jobs import demo

        rng = random.Random(demo.SEED)
        now = dt.datetime(2025, 1, 15, tzinfo=dt.UTC)
        for _, fields, _places in demo._generate(rng, now, defaultdict(lambda: None)):
            out.append(("demo", fields["title"], fields["description"]))
        out.append(("demo", demo.SEED_TITLE, demo.SEED_DESCRIPTION))
    except Exception as exc:  # noqa: BLE001 - the generator belongs to the board; fall back
        print(f"(demo generator unavailable: {exc}; using the samples only)", file=sys.stderr)
    return out


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reps", type=int, default=3, help="timed passes over the set (default 3)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["SUMMARY_LLM_URL"] = ""  # the local engine, whatever the environment says
    import django

    django.setup()
    from jobs.summary import ENGINE_VERSION
    from jobs.summary.engine import summarize_local
    from jobs.summary.skills import vocabulary

    started = time.perf_counter()
    vocab = vocabulary()
    load_ms = (time.perf_counter() - started) * 1000

    items = postings()
    for _, title, body in items:  # warm-up: regular expression caches
        summarize_local(body, title)

    wall, cpu = [], []
    sections = skills = facts = insufficient = 0
    total_started = time.perf_counter()
    for _ in range(args.reps):
        for _, title, body in items:
            t0, c0 = time.perf_counter(), time.process_time()
            summary = summarize_local(body, title)
            wall.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            sections += sum(
                bool(summary.section(n))
                for n in ("responsibilities", "required", "preferred", "benefits")
            )
            skills += len(summary.skills)
            facts += len(summary.facts)
            insufficient += not summary.ok
    total = time.perf_counter() - total_started
    n = len(wall)
    chars = statistics.mean(len(body) for _, _, body in items)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    print(
        f"summary engine v{ENGINE_VERSION} (local), {len(vocab)} skills in the vocabulary (loaded in {load_ms:.0f} ms)"
    )
    print(
        f"set: {len(items)} postings (mean {chars:,.0f} characters), {args.reps} passes = {n} summaries; load average {load:.1f}"
    )
    print(f"throughput: {n / total:,.0f} postings/s (wall)")
    print(
        f"per posting, wall ms: p50 {percentile(wall, 50):.2f}  p95 {percentile(wall, 95):.2f}  max {max(wall):.2f}"
    )
    print(
        f"per posting, CPU ms:  p50 {percentile(cpu, 50):.2f}  p95 {percentile(cpu, 95):.2f}  max {max(cpu):.2f}"
    )
    print(
        f"per summary: {sections / n:.1f} of 4 list sections filled, {skills / n:.1f} skills, "
        f"{facts / n:.1f} facts; {insufficient} 'not enough text'"
    )
    for name, values in (("wall", wall), ("CPU", cpu)):
        verdict = "meets" if percentile(values, 95) <= 20 else "misses"
        print(f"target p95 <= 20 ms per posting, {name} time: {verdict}")
    if load > (os.cpu_count() or 1):
        print("(the machine is busier than its cores: wall times include waiting for a CPU)")


if __name__ == "__main__":
    main()
