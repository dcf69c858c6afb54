"""Cold pages benchmark: the server time of a public page rendered without the page cache.

    .venv/bin/python bench/cold.py                          # demo data, 200 requests a page
    .venv/bin/python bench/cold.py --rows 100000            # + 100,000 synthetic postings
    .venv/bin/python bench/cold.py --profile '/jobs/'       # cProfile of one page's requests
    .venv/bin/python bench/cold.py --html bench/results/h   # keep each page's HTML (to compare)

Issue 17.2: a miss of the page cache (a cold page of 20 results) in <= 10 ms of server time.
bench/pages.py measures the hot pages on gunicorn; this script measures the misses alone, in
this process, through the whole WSGI stack (Django's test client: every middleware, the view,
its queries, the templates) with the production settings (DEBUG off, the cached template
loader, manifest static files) and PAGE_CACHE_ENABLED off, so every request renders.

The pages are measured in turn, one request of each per round (the machine's load, which
changes by the second on a shared machine, falls on all of them alike), after a warm-up. It
prints p50/p95 of the wall time and of this process's CPU time (the CPU time leaves out the
waits for PostgreSQL and for a busy core), the queries of one request of each page (and of the
process's first one when it differs: what the process keeps, such as summary lines, is read
then), and the Python function calls of one request (cProfile): the measure to compare versions
by on a loaded machine, where the times move 2-3x within minutes. --forget drops what the
process keeps before each request.

The data: the demo data of `manage.py seed_demo` in a database of its own (`bench_cold` by
default; with --rows N, `bench_cold_<N>` also holding N postings from bench/search.py's
generator, built once and reused), on the server of DATABASE_URL (or the embedded one).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import STATIC_ROOT, collectstatic_needed, load_average, say  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def setup(database: str, rows: int) -> None:
    """Production settings on the bench database, the data made when missing."""
    os.environ["JOBTRAIL_TESTING"] = "0"  # the production settings (bootstrap keeps it)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["STATIC_ROOT"] = str(STATIC_ROOT)
    os.environ["PAGE_CACHE_ENABLED"] = "0"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["CACHE_KEY_PREFIX"] = f"bench-cold-{database}"
    os.environ.pop("DEBUG", None)
    if collectstatic_needed():
        say("collectstatic (manifest storage, as in production)")
        env = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL", "")}
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
    from bench.search import bootstrap

    bootstrap(database)
    from config.celery import app as celery_app

    celery_app.conf.task_always_eager = True  # seed_demo's summaries, here and now
    from accounts.demo import DEMO_EMAIL
    from accounts.models import User
    from bench.search import build, built_rows

    if rows and built_rows() != rows:
        build(rows)
    if not User.objects.filter(email=DEMO_EMAIL).exists():
        from django.core.management import call_command

        say("demo data (manage.py seed_demo)")
        call_command("seed_demo")
        if rows:
            from bench.load import summarize_newest

            summarize_newest(1_000)


def pages() -> list[tuple[str, str]]:
    from jobs.models import Company, CompanyStatus, Posting

    posting = Posting.objects.published().order_by("-published_at").first()
    company = Company.objects.filter(status=CompanyStatus.APPROVED).order_by("pk").first()
    return [
        ("/jobs/", "/jobs/"),
        ("word search", "/jobs/?q=python"),
        ("search + filters", "/jobs/?q=engineer&workplace=remote"),
        ("search, page 5", "/jobs/?q=engineer&page=5"),
        ("posting page", posting.get_absolute_url()),
        ("company page", company.get_absolute_url()),
    ]


def forgetter():
    """What drops the process's kept renders (before issue 17.2's cards: the summary lines)."""
    try:
        from jobs.summary import web
        from jobs.templatetags.kept import forget_kept
    except ImportError:
        from jobs.templatetags import job_summary

        return job_summary._LINES.clear

    def forget() -> None:
        forget_kept()
        web._LINES.clear()

    return forget


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=0, help="synthetic postings besides the demo")
    parser.add_argument("--reps", type=int, default=200, help="measured requests a page (200)")
    parser.add_argument("--warmup", type=int, default=20, help="requests a page first (20)")
    parser.add_argument("--database", default="bench_cold")
    parser.add_argument("--only", help="a regular expression: measure only matching labels")
    parser.add_argument("--profile", help="cProfile the requests of the pages matching this")
    parser.add_argument("--html", help="a directory: write each page's HTML there")
    parser.add_argument(
        "--forget",
        action="store_true",
        help="drop what the process keeps between renders (kept blocks, summary lines) before "
        "each request: a page none of whose postings this process has shown before",
    )
    args = parser.parse_args()
    if args.rows and args.database == "bench_cold":
        args.database = f"bench_cold_{args.rows}"
    command = shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv]))
    setup(args.database, args.rows)

    import re

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.search import describe_data

    todo = pages()
    if args.only:
        todo = [p for p in todo if re.search(args.only, p[0])]
    client = Client(HTTP_HOST="127.0.0.1")
    queries: dict[str, int] = {}
    first_queries: dict[str, int] = {}
    sizes: dict[str, int] = {}
    for label, path in todo:
        with CaptureQueriesContext(connection) as first:
            response = client.get(path, secure=True)
        if response.status_code != 200:
            raise SystemExit(f"{label}: {path} answered {response.status_code}")
        with CaptureQueriesContext(connection) as ctx:
            client.get(path, secure=True)
        queries[label] = len(ctx.captured_queries)
        first_queries[label] = len(first.captured_queries)
        sizes[label] = len(response.content)
        if args.html:
            out = Path(args.html)
            out.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "page"
            (out / f"{name}.html").write_bytes(response.content)
    if args.profile:
        chosen = [p for p in todo if re.search(args.profile, p[0])]
        for _label, path in chosen:
            for _ in range(args.warmup):
                client.get(path, secure=True)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.reps):
            for _label, path in chosen:
                client.get(path, secure=True)
        profile.disable()
        stats = pstats.Stats(profile).strip_dirs()
        print(f"\n{args.reps} requests of {[p[0] for p in chosen]}\n")
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
        return

    for _ in range(args.warmup):
        for _label, path in todo:
            client.get(path, secure=True)
    forget = forgetter() if args.forget else (lambda: None)
    wall: dict[str, list[float]] = {label: [] for label, _ in todo}
    cpu: dict[str, list[float]] = {label: [] for label, _ in todo}
    before = load_average()
    t0 = time.monotonic()
    for _ in range(args.reps):
        for label, path in todo:
            forget()
            w0, c0 = time.perf_counter(), time.process_time()
            client.get(path, secure=True)
            wall[label].append((time.perf_counter() - w0) * 1000)
            cpu[label].append((time.process_time() - c0) * 1000)
    took = time.monotonic() - t0
    calls = {}  # function calls of one request: a measure of Python work that load leaves alone
    for label, path in todo:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(10):
            forget()
            client.get(path, secure=True)
        profile.disable()
        calls[label] = pstats.Stats(profile).total_calls // 10
    print(f"\ncommand: {command}")
    print(f"data: {describe_data()}")
    print(f"{args.reps} requests a page, in turn, after {args.warmup} each"
          f"{'; nothing kept between requests (--forget)' if args.forget else ''}; {took:.0f} s; "
          f"load average before {before}, after {load_average()}\n")  # fmt: skip
    print("| page | wall p50 ms | wall p95 ms | CPU p50 ms | CPU p95 ms | CPU min ms | queries "
          "| Python calls | KiB | ≤ 10 ms |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for label, path in todo:
        w, c = wall[label], cpu[label]
        print(f"| {label} (`{path}`) | {statistics.median(w):.2f} | {pct(w, 95):.2f} | "
              f"{statistics.median(c):.2f} | {pct(c, 95):.2f} | {min(c):.2f} | {queries[label]}"
              f"{'' if first_queries[label] == queries[label] else f' ({first_queries[label]} first)'} | "
              f"{calls[label]:,} | {sizes[label] / 1024:.0f} | "
              f"{'met' if statistics.median(w) <= 10 else 'not met'} |")  # fmt: skip


if __name__ == "__main__":
    main()
