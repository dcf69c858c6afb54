"""/healthz cost: what one anonymous call takes now, and what the Celery ping it used to wait
on takes (issue 16, finding 7).

    .venv/bin/python bench/healthz.py
    .venv/bin/python bench/healthz.py --reps 1000

Runs against a database of its own (`bench_jobtrail_healthz`; the embedded servers unless
DATABASE_URL / REDIS_URL are set). "view" is the whole request through Django's test client
(middleware, view, SELECT 1, one Redis MGET of the heartbeats), wall clock; "celery ping" is
`app.control.ping(timeout=1.0)`, which the old check called on every request (it waits the
whole timeout to collect every worker's reply, with or without workers).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.board import bootstrap  # noqa: E402


def _figures(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    return f"n={len(samples)}  p50 {statistics.median(samples):.1f} ms  p95 {p95:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=300)
    parser.add_argument("--pings", type=int, default=5)
    parser.add_argument("--database", default="bench_jobtrail_healthz")
    args = parser.parse_args()
    bootstrap(args.database)

    from django.test import Client

    from config.celery import app

    client = Client(HTTP_HOST="127.0.0.1")
    assert client.get("/healthz").status_code in (200, 503)  # warm-up; 503 without a worker
    view = []
    for _ in range(args.reps):
        started = time.perf_counter()
        client.get("/healthz")
        view.append((time.perf_counter() - started) * 1000)
    ping = []
    for _ in range(args.pings):
        started = time.perf_counter()
        app.control.ping(timeout=1.0)
        ping.append((time.perf_counter() - started) * 1000)
    print(f"/healthz (anonymous, heartbeats): {_figures(view)}")
    print(f"celery ping (the old check):      {_figures(ping)}")


if __name__ == "__main__":
    main()
