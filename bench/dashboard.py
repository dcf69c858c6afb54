"""Dashboard benchmark: /dashboard/ of a user with N applications and 10 stage changes each
(default 2,000 applications, 20,000 stage changes).

    .venv/bin/python bench/dashboard.py
    .venv/bin/python bench/dashboard.py --apps 2000 --changes 10 --reps 30

The data lives in a database of its own (`bench_jobtrail_dashboard` by default) on the
embedded PostgreSQL, or on the server of DATABASE_URL when it is set. Each run rebuilds the
bench user's history with bulk_create: applications applied over the last year, journeys
along the funnel (some rejected, some ghosted), notes, reminders (a tenth due today).

"server" is the whole page through Django's test client (middleware, session, view, queries,
template), measured with a wall clock around the request; the first request is a warm-up.
The JSON of the charts (/dashboard/data.json) is measured the same way.
Target: p95 <= 150 ms for 2,000 applications / 20,000 stage changes, a fixed number of queries.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.board import bootstrap, ratio_line, trivial_p50  # noqa: E402

BENCH_EMAIL = "bench-dashboard@example.com"


def build(apps: int, changes: int):
    import random
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from tracking.applications import services
    from tracking.models import Application, Note, Reminder, StageChange

    rng = random.Random(9)
    user = User.objects.filter(email=BENCH_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=BENCH_EMAIL, password=None)
    Application.objects.filter(user=user).delete()
    stages = {s.key: s for s in services.stages_ensure(user=user)}
    services.tracking_setup(user=user)
    funnel = ["applied", "screening", "interview", "offer", "accepted"]
    now = timezone.now()
    journeys = []
    for _ in range(apps):
        start = now - timedelta(days=rng.uniform(1, 365))
        depth = min(int(rng.expovariate(0.9)), 4)  # how far along the funnel it got
        path = funnel[: depth + 1]
        if path[-1] != "accepted" and rng.random() < 0.6:
            path.append(rng.choice(["rejected", "rejected", "no_response", "withdrawn"]))
        # pad to `changes` steps with back-and-forth moves inside the funnel it reached
        while len(path) < changes:
            path.insert(rng.randrange(1, len(path) + 1) if len(path) > 1 else 1, path[0])
        journeys.append((start, path[:changes]))
    rows = [
        Application(
            user=user, company_name=f"Company {i % 180}", title=f"Engineer {i}",
            source=rng.choice(["Jobtrail", "Referral", "LinkedIn", ""]),
            stage=stages[path[-1]], position=i, applied_at=start,
            stage_entered_at=start + timedelta(days=len(path)),
            last_activity_at=start + timedelta(days=len(path)),
        )
        for i, (start, path) in enumerate(journeys)
    ]  # fmt: skip
    created = Application.objects.bulk_create(rows, batch_size=1000)
    steps = []
    for app, (start, path) in zip(created, journeys, strict=True):
        previous = None
        for k, key in enumerate(path):
            at = min(now, start + timedelta(days=k * rng.uniform(0.5, 4)))
            steps.append(
                StageChange(
                    application=app, from_stage=previous, to_stage=stages[key], changed_at=at
                )
            )
            previous = stages[key]
    StageChange.objects.bulk_create(steps, batch_size=5000)
    Note.objects.bulk_create(
        [Note(application=a, body="Called", body_html="<p>Called</p>") for a in created[::4]],
        batch_size=1000,
    )
    Reminder.objects.bulk_create(
        [
            Reminder(application=a, due_at=now + timedelta(hours=rng.randint(-72, 72)))
            for a in created[::10]
        ],
        batch_size=1000,
    )
    with connection.cursor() as cur:
        cur.execute(
            "ANALYZE tracking_application; ANALYZE tracking_stagechange; "
            "ANALYZE tracking_reminder; ANALYZE tracking_note;"
        )
    return user, len(steps)


def measure(client, url: str, reps: int) -> tuple[list[float], int, int]:
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    request_started.disconnect(reset_queries)  # keep the log of the measured request
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    request_started.connect(reset_queries)
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times, queries, len(response.content)


def report(label: str, times: list[float], queries: int, size: int) -> None:
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{label}: {queries} queries, {size // 1024} KiB; p50 {statistics.median(times):.1f} ms, "
          f"p95 {p95:.1f} ms, min {times[0]:.1f} ms over {len(times)} requests")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--apps", type=int, default=2000)
    parser.add_argument("--changes", type=int, default=10, help="stage changes per application")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--database", default="bench_jobtrail_dashboard")
    args = parser.parse_args()
    bootstrap(args.database)

    from django.test import Client

    user, steps = build(args.apps, args.changes)
    print(f"{args.apps} applications, {steps} stage changes (target: p95 <= 150 ms)")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    for label, url in [
        ("/dashboard/", "/dashboard/"),
        ("/dashboard/?range=90d&source=Referral", "/dashboard/?range=90d&source=Referral"),
        ("/dashboard/data.json", "/dashboard/data.json"),
    ]:
        times, queries, size = measure(client, url, args.reps)
        report(label, times, queries, size)
        print("  " + ratio_line(statistics.median(times), trivial_p50(client, args.reps)))


if __name__ == "__main__":
    main()
