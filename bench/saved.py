"""Saved-jobs benchmark: the /saved/ page of a user with N saved jobs (default 500).

    .venv/bin/python bench/saved.py
    .venv/bin/python bench/saved.py --saved 2000 --reps 30 --sort salary

The data lives in a database of its own (`bench_jobtrail_saved` by default) on the embedded
PostgreSQL, or on the server of DATABASE_URL when it is set. Each run rebuilds the bench user's
saved jobs: postings over 60 companies (a third in a group with an application limit), with
locations, salaries in mixed periods, deadlines (some within a week, some expired), summaries
with skills, a few collections, and applications for some of them.

"server" is the whole page through Django's test client (middleware, session, view, queries,
template), measured with a wall clock around the request; the first request is a warm-up.
The page shows 50 saved jobs at a time; sorting and filtering run over all of them.
Target: p95 <= 150 ms for 500 saved jobs, in a fixed number of queries.
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

BENCH_EMAIL = "bench-saved@example.com"
SKILLS = ["Python", "Django", "PostgreSQL", "Kubernetes", "React", "Go", "SQL", "AWS"]


def build(n: int):
    import datetime as dt
    import random

    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from jobs.models import Company, CompanyGroup, Location, Posting
    from tracking.applications import services
    from tracking.models import Application, Collection, SavedJob

    rng = random.Random(5)
    user = User.objects.filter(email=BENCH_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=BENCH_EMAIL, password=None)
    SavedJob.objects.filter(user=user).delete()
    Application.objects.filter(user=user).delete()
    Collection.objects.filter(user=user).delete()
    Posting.objects.filter(source="bench-saved").delete()
    profile = user.profile
    profile.skills = ["Python", "SQL", "Django"]
    profile.save()
    group, _ = CompanyGroup.objects.update_or_create(
        name="Bench Saved Group", defaults={"application_limit": 2}
    )
    companies = []
    for i in range(60):
        c, _ = Company.objects.get_or_create(
            slug=f"bench-saved-{i}",
            defaults={"name": f"Bench Saved Co {i}", "group": group if i % 3 == 0 else None},
        )
        companies.append(c)
    cities = [("Berlin", "DE"), ("Lisbon", "PT"), ("London", "GB"), ("Toronto", "CA")]
    locations = [Location.objects.get_or_create(city=c, region="", country=k)[0] for c, k in cities]
    now = timezone.now()
    periods = [("year", 40_000, 120_000), ("month", 3_000, 9_000), ("hour", 20, 90)]
    postings = []
    for i in range(n):
        period, lo, hi = rng.choice(periods)
        low = rng.randint(lo, hi)
        days = rng.randint(-5, 60)
        skills = rng.sample(SKILLS, 4)
        postings.append(
            Posting(
                company=rng.choice(companies), title=f"Engineer {i}", slug=f"engineer-{i}",
                description="<p>Bench posting.</p>", status="expired" if days < 0 else "published",
                published_at=now - dt.timedelta(days=30), expires_at=now + dt.timedelta(days=days),
                application_deadline=(now + dt.timedelta(days=days)).date(),
                salary_min=low, salary_max=low + low // 5, salary_currency="EUR",
                salary_period=period, source="bench-saved", external_id=str(i),
                summary={"status": "ok", "skills": [
                    {"name": s, "category": "tech", "start": 0, "end": 1,
                     "importance": "required" if j < 2 else "preferred"}
                    for j, s in enumerate(skills)]},
            )
        )  # fmt: skip
    postings = Posting.objects.bulk_create(postings, batch_size=1000)
    through = Posting.locations.through
    through.objects.bulk_create(
        [through(posting_id=p.pk, location_id=rng.choice(locations).pk) for p in postings],
        batch_size=1000,
    )
    saved = SavedJob.objects.bulk_create(
        [
            SavedJob(user=user, posting=p, saved_at=now - dt.timedelta(minutes=i))
            for i, p in enumerate(postings)
        ],
        batch_size=1000,
    )
    cols = [Collection.objects.create(user=user, name=f"Collection {i}") for i in range(5)]
    links = SavedJob.collections.through
    links.objects.bulk_create(
        [
            links(savedjob_id=s.pk, collection_id=rng.choice(cols).pk)
            for s in saved
            if rng.random() < 0.6
        ],
        batch_size=1000,
    )
    stage = services.stage_for_key(user=user, key="applied")
    Application.objects.bulk_create(
        [
            Application(user=user, posting=p, company_name=p.company.name, title=p.title, stage=stage,
                        position=i, applied_at=now - dt.timedelta(days=i % 20))
            for i, p in enumerate(postings[: n // 10])
        ]
    )  # fmt: skip
    with connection.cursor() as cur:
        cur.execute(
            "ANALYZE tracking_savedjob; ANALYZE tracking_savedjob_collections; ANALYZE jobs_posting;"
            " ANALYZE tracking_application;"
        )
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saved", type=int, default=500)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--sort", default="saved", choices=["saved", "deadline", "salary"])
    parser.add_argument("--database", default="bench_jobtrail_saved")
    args = parser.parse_args()
    bootstrap(args.database)

    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = build(args.saved)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = f"/saved/?sort={args.sort}"
    response = client.get(url)  # warm-up
    assert response.status_code == 200, response.status_code
    rows = response.content.decode().count('class="card saved-card')
    request_started.disconnect(reset_queries)  # keep the log of the measured request
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    request_started.connect(reset_queries)
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(args.reps):
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"/saved/?sort={args.sort} of {args.saved} saved jobs: {rows} rows on the page, "
          f"{queries} queries, {len(response.content) // 1024} KiB of HTML")  # fmt: skip
    print(f"server time over {args.reps} requests: p50 {statistics.median(times):.1f} ms, "
          f"p95 {p95:.1f} ms, min {times[0]:.1f} ms (target p95 <= 150 ms)")  # fmt: skip
    print(ratio_line(statistics.median(times), trivial_p50(client, args.reps)))


if __name__ == "__main__":
    main()
