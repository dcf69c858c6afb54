"""Board benchmark: the /applications/ page of a user with N applications (default 500).

    .venv/bin/python bench/board.py
    .venv/bin/python bench/board.py --apps 2000 --reps 30

The data lives in a database of its own (`bench_jobtrail_board` by default) on the embedded
PostgreSQL, or on the server of DATABASE_URL when it is set. Each run rebuilds the bench user's
applications (spread over the built-in stages, a third with an open reminder, some stale).

"server" is the whole page through Django's test client (middleware, session, view, queries,
template), measured with a wall clock around the request; the first request is a warm-up.
Target: p95 <= 120 ms for 500 applications, in <= 10 queries; it also prints the ratio of
the page's p50 to a trivial view's (bench/urls.py) in the same run (issue 17.3: >= 0.25x),
cold (rendered every time) and hot (served by the per-user page cache,
config/user_page_cache.py, with the query count of one hit).
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

BENCH_EMAIL = "bench-board@example.com"


def bootstrap(database: str) -> None:
    """Point Django at the bench database (created if missing) and set it up."""
    os.environ.setdefault("JOBTRAIL_TESTING", "1")  # plain static storage, no https redirect
    os.environ["DEBUG"] = "0"
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        from config import embedded

        os.environ.update(
            embedded.acquire(
                postgres=not os.environ.get("DATABASE_URL"), redis=not os.environ.get("REDIS_URL")
            )
        )
    import dj_database_url
    import psycopg

    url = os.environ["DATABASE_URL"]
    cfg = dj_database_url.parse(url)
    conninfo = {
        "host": cfg["HOST"], "port": cfg["PORT"] or 5432, "user": cfg["USER"],
        "password": cfg["PASSWORD"] or None, "dbname": "postgres",
    }  # fmt: skip
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def trivial_p50(client, reps: int) -> float:
    """p50 (ms) of /bench-hello/ (bench/urls.py) through the same client, middleware and
    session as the page: the ratio page/trivial is issue 17's yardstick, and measuring both in
    one run cancels out most of the machine's load."""
    from django.conf import settings
    from django.urls import clear_url_caches

    if settings.ROOT_URLCONF != "bench.urls":
        settings.ROOT_URLCONF = "bench.urls"
        clear_url_caches()
    client.get("/bench-hello/")  # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        client.get("/bench-hello/")
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def ratio_line(page_p50: float, hello_p50: float) -> str:
    ratio = hello_p50 / page_p50 if page_p50 else 0.0
    verdict = "met" if ratio >= 0.25 else "not met"
    return (
        f"trivial view p50 {hello_p50:.2f} ms in the same run: the page is at "
        f"{ratio:.3f}x the trivial view (target >= 0.25x: {verdict})"
    )


def build(apps: int):
    import random
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from tracking.applications import services
    from tracking.models import Application, Reminder, StageChange

    rng = random.Random(6)
    user = User.objects.filter(email=BENCH_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=BENCH_EMAIL, password=None)
    Application.objects.filter(user=user).delete()
    stages = [s for s in services.stages_ensure(user=user) if not s.archived]
    services.tracking_setup(user=user)
    now = timezone.now()
    rows = []
    for i in range(apps):
        age = timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23))
        rows.append(
            Application(
                user=user,
                company_name=f"Company {i % 180}",
                title=f"{rng.choice(['Backend', 'Frontend', 'Data', 'Platform', 'ML'])} engineer {i}",
                location=rng.choice(["Berlin", "Remote", "London", "Lisbon"]),
                stage=stages[min(int(rng.expovariate(0.6)), len(stages) - 1)],
                position=i,
                stage_entered_at=now - age,
                last_activity_at=now - age,
                created_at=now - age,
            )
        )
    created = Application.objects.bulk_create(rows, batch_size=1000)
    StageChange.objects.bulk_create(
        [StageChange(application=a, to_stage=a.stage, changed_at=a.created_at) for a in created],
        batch_size=1000,
    )
    Reminder.objects.bulk_create(
        [
            Reminder(application=a, due_at=now + timedelta(days=rng.randint(-3, 10)))
            for a in created
            if rng.random() < 0.33
        ],
        batch_size=1000,
    )
    with connection.cursor() as cur:
        cur.execute("ANALYZE tracking_application; ANALYZE tracking_reminder;")
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--apps", type=int, default=500)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--database", default="bench_jobtrail_board")
    args = parser.parse_args()
    bootstrap(args.database)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = build(args.apps)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    response = client.get("/applications/")  # warm-up
    assert response.status_code == 200, response.status_code
    cards = response.content.decode().count("data-card ")
    from django.core.signals import request_started
    from django.db import reset_queries

    request_started.disconnect(reset_queries)  # keep the log of the measured request
    with CaptureQueriesContext(connection) as ctx:
        client.get("/applications/")
    request_started.connect(reset_queries)
    queries = len(ctx.captured_queries)  # read now: the log is cleared by the next request
    times = []
    for _ in range(args.reps):
        t0 = time.perf_counter()
        client.get("/applications/")
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    hot, hot_queries, outcome = hot_times(client, args.reps)
    hello = trivial_p50(client, args.reps)
    print(f"board of {args.apps} applications: {cards} cards, {queries} queries, "
          f"{len(response.content) // 1024} KiB of HTML")  # fmt: skip
    print(f"cold (rendered, user page cache off) over {args.reps} requests: "
          f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, min {times[0]:.1f} ms "
          f"(target p95 <= 120 ms)")  # fmt: skip
    print("  " + ratio_line(statistics.median(times), hello))
    print(f"hot (config/user_page_cache.py, X-User-Cache: {outcome}, {hot_queries} queries) "
          f"over {args.reps} requests: p50 {statistics.median(hot):.2f} ms, "
          f"min {min(hot):.2f} ms")  # fmt: skip
    print("  " + ratio_line(statistics.median(hot), hello))
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def hot_times(client, reps: int) -> tuple[list[float], int, str]:
    """The same page served by the per-user page cache: (times in ms, queries of one hit,
    the X-User-Cache header of the last answer)."""
    from django.conf import settings
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    settings.USER_PAGE_CACHE_ENABLED = True
    client.get("/applications/")  # sets the CSRF cookie (that answer is not kept)
    client.get("/applications/")  # stored
    request_started.disconnect(reset_queries)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/applications/")
    request_started.connect(reset_queries)
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        response = client.get("/applications/")
        times.append((time.perf_counter() - t0) * 1000)
    settings.USER_PAGE_CACHE_ENABLED = False
    return times, queries, response.get("X-User-Cache", "none")


if __name__ == "__main__":
    main()
