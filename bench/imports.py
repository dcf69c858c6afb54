"""Staff import benchmark: what the upload request costs now, and what the background job costs.

    .venv/bin/python bench/imports.py
    .venv/bin/python bench/imports.py --rows 5000 --words 200 --reps 5

A CSV of --rows synthetic postings (descriptions of --words words, 50 companies, one location)
is built in memory. "upload" is POST /staff/import/ through Django's test client (server time:
form, envelope check of the whole file, storing the bytes in an ImportJob row); the task is not
enqueued (no worker runs here). "import" is `import_job_run`, the body of the Celery task, run in
this process on the stored job: first on an empty board (every row created), then again (every
row unchanged, the idempotent re-run); it includes enqueueing a summary task per created posting
(purged at the end). Before background jobs the request did both.

The data lives in a database of its own (`bench_jobtrail_imports`) on the embedded PostgreSQL, or
on the server of DATABASE_URL; its postings and jobs are deleted at the start of each run. The
machine's load average is printed: other work on the same cores inflates every figure.
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
sys.path.insert(0, str(ROOT / "bench"))

from board import bootstrap  # noqa: E402


def csv_file(rows: int, words: int) -> bytes:
    text = " ".join(["experience building reliable services with a small team"] * (words // 8))
    lines = ["title,company,description,locations,external_id"]
    lines += [
        f'Engineer {i},Bench Company {i % 50},"<p>Posting {i}. {text}</p>","Berlin, DE",B-{i}'
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--words", type=int, default=200)
    parser.add_argument("--reps", type=int, default=5, help="timed uploads (default 5)")
    parser.add_argument("--database", default="bench_jobtrail_imports")
    args = parser.parse_args()
    os.environ.setdefault("JOBTRAIL_TEST_REDIS_DB", "11")  # the summary tasks' messages go here
    bootstrap(args.database)

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from accounts.models import User
    from jobs.imports import services as import_jobs
    from jobs.models import Company, ImportJob, Posting

    import_jobs._enqueue = lambda job_ids: None  # no worker here: time the request's own work
    Posting.objects.filter(source="bench").delete()
    Company.objects.filter(name__startswith="Bench Company").delete()
    ImportJob.objects.all().delete()
    staff, _ = User.objects.get_or_create(
        email="bench-import@example.com", defaults={"is_staff": True}
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)
    data = csv_file(args.rows, args.words)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"file: {args.rows:,} rows, {len(data) / 1e6:.1f} MB")

    times = []
    for _ in range(args.reps + 1):  # the first is a warm-up
        upload = SimpleUploadedFile("bench.csv", data, content_type="text/csv")
        started = time.perf_counter()
        response = client.post("/staff/import/", {"file": upload, "source": "bench"})
        times.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    times = times[1:]
    print(
        f"upload (envelope check + store): p50 {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms over {len(times)}"
    )

    for label in ("import, all created", "import again, all unchanged"):
        job = ImportJob.objects.filter(status="queued").order_by("pk").first()
        started = time.perf_counter()
        job = import_jobs.import_job_run(job_id=job.pk)
        elapsed = time.perf_counter() - started
        print(f"{label}: {elapsed:.2f} s · {job.summary}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    from config.celery import app

    app.control.purge()  # the summary tasks the imports enqueued: no worker will run them


if __name__ == "__main__":
    main()
