"""Live sources benchmark (issue 19): N sources × M jobs synced through the real sync service.

    .venv/bin/python bench/sources.py                       # 200 sources × 500 jobs (100,000)
    .venv/bin/python bench/sources.py --sources 20 --jobs 500

A local HTTP server in this process serves each source as a Greenhouse board (the documented
shape, ~120-word descriptions, four cities). Phases, each over every source, one after the other
in this process (what one worker does; more workers divide the wall time):

1. first sync: every job is new;
2. unchanged re-sync, conditional: the board answers 304 to the ETag;
3. unchanged re-sync, full: the server ignores the ETag, so each board is read, parsed, mapped
   and hashed, and the hashes compared with the stored ones (the path a board without ETags takes);
4. 1 % changed: each board edits 1 % of its jobs' titles (its ETag changes);
5. 16 days later (time-machine), nothing changed: the postings' listing lifetime (30 days) is
   less than half left, so each board's 304 is read again in full and every expiry is extended
   (one UPDATE per source);
6. the same day again: 304, nothing written.

Printed per phase: wall time, rows written to the postings' tables (jobs_posting, its locations,
jobs_postingsource, jobs_location) and to the bookkeeping (jobs_source, jobs_sourcerun) from
PostgreSQL's own counters (pg_stat_user_tables), queries per job, and the summary tasks the sync
enqueued (counted here, not sent: no worker runs). The per-host request spacing is off (every
board is on 127.0.0.1 here; real boards are on different hosts).

The data lives in a database of its own (`bench_jobtrail_sources` unless --database) on the
embedded PostgreSQL or on the server of DATABASE_URL; its bench sources and postings are deleted
at the start of each run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from board import bootstrap  # noqa: E402

CITIES = ["Berlin, DE", "Paris, FR", "Austin, TX", "London, GB"]
_TEXT = "build operate and improve reliable services with a small team that owns its work from"
WORDS = f"{_TEXT} design to production we value clear writing careful reviews".split(" ")
TABLES_POSTINGS = ("jobs_posting", "jobs_posting_locations", "jobs_postingsource", "jobs_location")
TABLES_BOOKKEEPING = ("jobs_source", "jobs_sourcerun")


class Boards:
    """Every board's current JSON body and ETag, rebuilt only when a board changes."""

    def __init__(self, sources: int, jobs: int) -> None:
        self.sources, self.jobs = sources, jobs
        self.edition = [dict() for _ in range(sources)]  # job index -> title suffix
        self.bodies: list[bytes] = [b""] * sources
        self.etags: list[str] = [""] * sources
        self.honour_etag = True
        for n in range(sources):
            self._build(n)

    def _build(self, n: int) -> None:
        jobs = []
        for i in range(self.jobs):
            ident = n * 100_000 + i
            text = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(120))
            jobs.append(
                {
                    "id": ident,
                    "title": f"Engineer {i} of team {i % 37}{self.edition[n].get(i, '')}",
                    "updated_at": "2026-11-02T10:00:00-05:00",
                    "location": {"name": CITIES[i % len(CITIES)]},
                    "absolute_url": f"https://boards.example/{n}/jobs/{ident}",
                    "content": f"&lt;p&gt;Job {ident}: {text}.&lt;/p&gt;",
                    "departments": [{"id": 1, "name": f"Team {i % 37}"}],
                    "offices": [{"id": 1, "name": "HQ", "location": CITIES[i % len(CITIES)]}],
                }
            )
        self.bodies[n] = json.dumps({"jobs": jobs, "meta": {"total": len(jobs)}}).encode()
        self.etags[n] = '"' + hashlib.sha256(self.bodies[n]).hexdigest()[:20] + '"'

    def change(self, share: float, round_: int) -> int:
        per_board = max(1, round(self.jobs * share))
        for n in range(self.sources):
            for i in range(per_board):
                self.edition[n][(i * 97 + round_) % self.jobs] = f" (rev {round_})"
            self._build(n)
        return per_board * self.sources

    def serve(self) -> str:
        boards = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                n = int(self.path.split("/")[2])
                if boards.honour_etag and self.headers.get("If-None-Match") == boards.etags[n]:
                    self.send_response(304)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = boards.bodies[n]
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("ETag", boards.etags[n])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}"


def written(tables) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables"
            " WHERE relname = ANY(%s)",
            [list(tables)],
        )
        return int(cursor.fetchone()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--changed", type=float, default=0.01, help="share changed in phase 4")
    parser.add_argument("--database", default="bench_jobtrail_sources")
    args = parser.parse_args()
    bootstrap(args.database)

    from django.conf import settings
    from django.db import connection

    from jobs.models import Company, Posting, Source
    from jobs.sources import services
    from jobs.summary.tasks import summarize_posting

    settings.SOURCES_HOST_INTERVAL_MS = 0
    enqueued = {"n": 0}

    def count(*_args, **_kw):
        enqueued["n"] += 1

    summarize_posting.delay = count  # no worker here: count the summary tasks, send none

    companies = Company.objects.filter(name__startswith="Bench Source ")
    Posting.objects.filter(company__in=companies).delete()
    Source.objects.filter(company__in=companies).delete()
    companies.delete()

    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"building {args.sources} boards × {args.jobs} jobs …")
    boards = Boards(args.sources, args.jobs)
    base = boards.serve()
    print(f"one board's answer: {len(boards.bodies[0]) / 1e6:.2f} MB")
    sources = []
    for n in range(args.sources):
        company = Company.objects.create(name=f"Bench Source {n}", slug=f"bench-source-{n}")
        sources.append(
            services.source_create(
                kind="greenhouse",
                endpoint=f"{base}/b/{n}/jobs?content=true",
                company=company,
                trust="publish",
            )
        )
    total_jobs = args.sources * args.jobs

    def phase(name: str) -> None:
        enqueued["n"] = 0
        before_p, before_b = written(TABLES_POSTINGS), written(TABLES_BOOKKEEPING)
        counts: dict[str, int] = {}
        started = time.perf_counter()
        queries = [0]

        def counted(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            for source in sources:
                source.refresh_from_db()
                result = services.source_sync(source=source)
                for key, value in result.counts().items():
                    counts[key] = counts.get(key, 0) + value
                if result.status == "degraded":
                    print(f"  source {source.pk} degraded: {result.error}")
        wall = time.perf_counter() - started
        rows_p = written(TABLES_POSTINGS) - before_p
        rows_b = written(TABLES_BOOKKEEPING) - before_b
        print(
            f"{name:<34} {wall:8.1f} s  {rows_p:>9,} rows (postings)  {rows_b:>5,} rows "
            f"(bookkeeping)  {queries[0] / total_jobs:6.3f} queries/job  "
            f"{enqueued['n']:>7,} summaries  | created {counts['created']:,} updated "
            f"{counts['updated']:,} closed {counts['closed']:,} unchanged {counts['unchanged']:,}"
            f" failed {counts['failed']:,}"
            + (f" extended {counts['extended']:,}" if counts.get("extended") else "")
        )

    print(f"{args.sources} sources × {args.jobs} jobs = {total_jobs:,} postings")
    phase("1. first sync")
    phase("2. unchanged, conditional (304)")
    boards.honour_etag = False
    phase("3. unchanged, full read + diff")
    boards.honour_etag = True
    changed = boards.change(args.changed, 1)
    phase(f"4. {args.changed:.0%} changed ({changed:,} jobs)")
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=16), tick=True):
        phase("5. 16 days on: expiries extended")
        phase("6. same day again (304)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
