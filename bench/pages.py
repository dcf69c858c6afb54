"""Pages benchmark: the public and signed-in pages on gunicorn, side by side with a trivial view.

    .venv/bin/python bench/pages.py                      # demo data, 2 workers, 10 s a page
    .venv/bin/python bench/pages.py --rows 100000        # + 100,000 synthetic postings
    .venv/bin/python bench/pages.py --workers 1          # one web process (docs/architecture.md)
    .venv/bin/python bench/pages.py --no-page-cache      # the pages rendered on every request

The data lives in a database of its own (`bench_pages` by default) on the embedded PostgreSQL, or
on the server of DATABASE_URL when it is set: the demo data of `manage.py seed_demo`, with
--rows N also N synthetic postings from bench/search.py's SQL generator (made once, reused), and
a bench user with 500 applications and 500 saved jobs.

gunicorn (--workers, default 2, sync) serves the production settings (DEBUG off, SECRET_KEY of
the run, manifest static files) through bench/pages_settings.py, which only adds one URL: a
Django view that returns "hello" through the same middleware (`/__bench__/hello`). wrk
(`-t1 -c8 -d10s --latency`; installed with apt-get when missing) measures each page in turn,
talking as the reference deployment's TLS proxy does (X-Forwarded-Proto: https). The trivial
view is measured first and last and its mean is the reference of each page's ratio.

"miss ms" is the server time of one uncached render of the page, in this process through
Django's test client (page cache off), median of --reps renders: what a cold page costs; in
brackets the CPU time of it (without the waits for PostgreSQL or for a busy core).

Targets (issue 17): anonymous pages >= 0.5 x the trivial view when hot, a miss <= 10 ms,
signed-in board / saved / dashboard >= 0.25 x.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402
    STATIC_ROOT,
    clear_cache,
    collectstatic_needed,
    free_port,
    load_average,
    say,
    stop,
    wait_ready,
)

BENCH_EMAIL = "bench-pages@bench.jobtrail.local"
APPLICATIONS = 500
SAVED = 500
HELLO = "/__bench__/hello"
CSRF_SECRET = "b" * 32  # the bench browser's CSRF cookie (any 32 letters and digits)


# --- tools ---------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    say("wrk is missing: apt-get install -y wrk")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk"], check=False, env=env)
    found = shutil.which("wrk")
    if not found:
        subprocess.run([*sudo, "apt-get", "update", "-q"], check=False, env=env)
        subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk"], check=True, env=env)
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("could not install wrk (apt-get install wrk)")
    return found


# --- data ----------------------------------------------------------------------------------


def prepare(rows: int) -> None:
    from django.core.management import call_command

    from bench.search import build, built_rows

    if rows and built_rows() != rows:
        build(rows)
    say("demo data (manage.py seed_demo)")
    call_command("seed_demo")
    if rows:
        from bench.load import summarize_newest

        summarize_newest(1_000)


def ensure_bench_user():
    """The bench user: 500 applications over the stages (half of them from postings) and up to
    500 saved jobs (fewer only when the board has fewer public postings)."""
    from allauth.account.models import EmailAddress
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Profile, User
    from jobs.models import Posting, PostingStatus
    from tracking.applications.selectors import stages_for
    from tracking.applications.services import tracking_setup
    from tracking.models import Application, SavedJob, StageChange

    user = User.objects.filter(email=BENCH_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=BENCH_EMAIL, password=None)
        Profile.objects.filter(user=user).update(
            display_name="Bench Pages", skills=["Python", "Django", "PostgreSQL", "AWS"]
        )
    EmailAddress.objects.update_or_create(
        user=user, email=BENCH_EMAIL, defaults={"verified": True, "primary": True}
    )
    public = (PostingStatus.PUBLISHED, PostingStatus.CLOSED, PostingStatus.EXPIRED)
    postings = list(
        Posting.objects.filter(status__in=public)
        .select_related("company")
        .order_by("-published_at", "-id")[: max(SAVED, APPLICATIONS)]
    )
    rng = random.Random(17)
    if SavedJob.objects.filter(user=user).count() < min(SAVED, len(postings)):
        SavedJob.objects.filter(user=user).delete()
        now = timezone.now()
        SavedJob.objects.bulk_create(
            [
                SavedJob(user=user, posting=p, saved_at=now - dt_minutes(i))
                for i, p in enumerate(postings[:SAVED])
            ]
        )
    if Application.objects.filter(user=user).count() != APPLICATIONS:
        Application.objects.filter(user=user).delete()
        tracking_setup(user=user)  # idempotent: an account made before the sign-up signal
        stages = [s for s in stages_for(user=user) if not s.archived]
        now = timezone.now()
        made = []
        for i in range(APPLICATIONS):
            posting = postings[i] if i % 2 == 0 and i < len(postings) else None
            at = now - dt_minutes(rng.randint(60, 60 * 24 * 60))
            made.append(
                Application(
                    user=user,
                    posting=posting,
                    company_name=posting.company.name if posting else f"Company {i % 150}",
                    title=posting.title if posting else f"Engineer {i}",
                    stage=stages[min(int(rng.expovariate(0.6)), len(stages) - 1)],
                    position=i,
                    stage_entered_at=at,
                    last_activity_at=at,
                    created_at=at,
                    applied_at=at,
                )
            )
        created = Application.objects.bulk_create(made, batch_size=500)
        StageChange.objects.bulk_create(
            [StageChange(application=a, to_stage=a.stage, changed_at=a.created_at) for a in created]
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE tracking_savedjob; ANALYZE tracking_application;")
    return user


def dt_minutes(n: int):
    import datetime as dt

    return dt.timedelta(minutes=n)


def session_for(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def pages() -> list[tuple[str, str, bool]]:
    """(label, path, signed in)."""
    from jobs.models import Company, Posting

    posting = Posting.objects.published().order_by("-published_at").first()
    company = Company.objects.filter(slug__isnull=False).order_by("pk").first()
    return [
        ("/", "/", False),
        ("/jobs/", "/jobs/", False),
        ("word search", "/jobs/?q=python", False),
        ("search + filters", "/jobs/?q=engineer&workplace=remote", False),
        ("search, page 5", "/jobs/?q=engineer&page=5", False),
        ("posting page", posting.get_absolute_url(), False),
        ("company page", company.get_absolute_url(), False),
        ("RSS feed", "/jobs/feed/rss/", False),
        ("board (signed in)", "/applications/", True),
        ("/saved/ (signed in)", "/saved/", True),
        ("dashboard (signed in)", "/dashboard/", True),
        ("/jobs/ (signed in)", "/jobs/", True),
    ]


# --- measuring -----------------------------------------------------------------------------


def request_cache_header(url: str, headers: dict[str, str]) -> tuple[int, str]:
    """(status, X-Page-Cache or X-User-Cache): the warm-up checks that the page is a hit."""
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, headers=headers)  # noqa: S310 - a loopback URL
    try:
        with urllib.request.urlopen(req, timeout=30) as response:  # noqa: S310 - loopback URL
            response.read()
            cached = response.headers.get("X-User-Cache") or response.headers.get("X-Page-Cache")
            return response.status, cached or ""
    except urllib.error.HTTPError as exc:
        return exc.code, ""


WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_PCT = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(wrk: str, url: str, headers: dict[str, str], args) -> dict:
    cmd = [wrk, f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    pct = {int(p): float(v) * UNIT[u] for p, v, u in WRK_PCT.findall(out)}
    bad = WRK_NON2XX.search(out)
    return {
        "rps": float(WRK_RPS.search(out).group(1)),
        "p50": pct.get(50, float("nan")),
        "p99": pct.get(99, float("nan")),
        "errors": int(bad.group(1)) if bad else 0,
    }


def miss_ms(path: str, session: str | None, reps: int) -> tuple[float, float]:
    """One uncached render in this process (page cache off), median of reps: wall-clock time
    and this process's CPU time (the latter leaves out waiting for PostgreSQL and for a core
    on a busy machine)."""
    from django.conf import settings
    from django.test import Client

    settings.PAGE_CACHE_ENABLED = False
    settings.USER_PAGE_CACHE_ENABLED = False
    client = Client(HTTP_HOST="127.0.0.1")
    if session:
        client.cookies["sessionid"] = session
        client.cookies["csrftoken"] = CSRF_SECRET
    client.get(path)
    wall, cpu = [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        client.get(path)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=0, help="synthetic postings besides the demo")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page (10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk -c (8)")
    parser.add_argument("--threads", type=int, default=1, help="wrk -t (1)")
    parser.add_argument("--reps", type=int, default=20, help="renders per page for 'miss ms'")
    parser.add_argument("--database", default="bench_pages")
    parser.add_argument("--redis-db", type=int, default=14, help="embedded Redis database (14)")
    parser.add_argument("--no-page-cache", action="store_true", help="PAGE_CACHE_ENABLED=0")
    parser.add_argument("--only", help="a regular expression: measure only matching labels")
    args = parser.parse_args()
    if args.rows and args.database == "bench_pages":
        args.database = f"bench_pages_{args.rows}"
    command = shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv]))
    wrk = ensure_wrk()

    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ.pop("JOBTRAIL_EMBEDDED_REDIS", None)
    prefix = f"bench-pages-{args.database}"
    os.environ["CACHE_KEY_PREFIX"] = prefix
    os.environ["LOG_LEVEL"] = "WARNING"
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        from config import embedded

        urls = embedded.acquire(
            postgres=not os.environ.get("DATABASE_URL"), redis=not os.environ.get("REDIS_URL")
        )
        if "REDIS_URL" in urls:
            urls["REDIS_URL"] = urls["REDIS_URL"].rsplit("/", 1)[0] + f"/{args.redis_db}"
        os.environ.update(urls)
    from bench.search import bootstrap, describe_data

    bootstrap(args.database)
    from config.celery import app as celery_app

    celery_app.conf.task_always_eager = True  # seed_demo's summaries, here and now
    from django.db import connection

    t0 = time.monotonic()
    prepare(args.rows)
    user = ensure_bench_user()
    say(f"{describe_data()}; bench user: {user.applications.count()} applications, "
        f"{user.saved_jobs.count()} saved jobs; data ready in {time.monotonic() - t0:.0f} s")  # fmt: skip
    session = session_for(user)
    todo = pages()
    if args.only:
        todo = [p for p in todo if re.search(args.only, p[0])]
    misses = {
        label: miss_ms(path, session if signed else None, args.reps) for label, path, signed in todo
    }
    clear_cache(prefix)
    connection.close()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in {"JOBTRAIL_TESTING", "DEBUG"}}
    env.update(
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"https://127.0.0.1:{port}",
        STATIC_ROOT=str(STATIC_ROOT),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="bench.pages_settings",
        PAGE_CACHE_ENABLED="0" if args.no_page_cache else "1",
        USER_PAGE_CACHE_ENABLED="0" if args.no_page_cache else "1",
    )
    if collectstatic_needed():
        say("collectstatic (manifest storage, as in production)")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT, env=env, check=True,
        )  # fmt: skip
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    log = out / f"pages-gunicorn-{time.strftime('%Y%m%d-%H%M%S')}.log"
    gunicorn = None
    try:
        with open(log, "w") as fh:
            gunicorn = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi:application",
                 "--workers", str(args.workers), "--worker-class", "sync",
                 "--bind", f"127.0.0.1:{port}", "--forwarded-allow-ips", "127.0.0.1"],
                cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        wait_ready(base, gunicorn, log)
        proxy = {"X-Forwarded-Proto": "https"}
        # A browser keeps the CSRF cookie the first signed-in page set; without it every
        # signed-in page would make a new secret (and could not be cached for this session).
        signed = {**proxy, "Cookie": f"sessionid={session}; csrftoken={CSRF_SECRET}"}
        for label, path, is_signed in todo:  # warm-up; check each page answers 200 itself
            for _ in range(args.workers * 2):
                status, cached = request_cache_header(base + path, signed if is_signed else proxy)
            if status != 200:
                raise SystemExit(f"{label}: {path} answered {status}")
            if not args.no_page_cache and cached != "hit":
                say(f"{label}: the warm page was not a cache hit ({cached or 'no header'})")
        request_cache_header(base + HELLO, proxy)
        say(f"gunicorn: {args.workers} sync workers on {base}; page cache "
            f"{'off' if args.no_page_cache else 'on'}; load average {load_average()}")  # fmt: skip
        results: list[tuple[str, dict]] = []
        first = run_wrk(wrk, base + HELLO, proxy, args)
        for label, path, is_signed in todo:
            results.append((label, run_wrk(wrk, base + path, signed if is_signed else proxy, args)))
            say(f"{label}: {results[-1][1]['rps']:.0f} req/s")
        last = run_wrk(wrk, base + HELLO, proxy, args)
    finally:
        stop(gunicorn, "gunicorn")
    trivial = (first["rps"] + last["rps"]) / 2
    print(f"\ncommand: {command}")
    print(f"data: {describe_data()}; wrk -t{args.threads} -c{args.connections} "
          f"-d{args.duration}s; {args.workers} gunicorn sync workers; page cache "
          f"{'off' if args.no_page_cache else 'on'}; load average after {load_average()}\n")  # fmt: skip
    print("| page | req/s | p50 ms | p99 ms | × trivial | target | miss ms (CPU) |")
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: |")
    print(f"| trivial view (first / last) | {first['rps']:,.0f} / {last['rps']:,.0f} | "
          f"{first['p50']:.1f} | {first['p99']:.1f} | 1.000 | | |")  # fmt: skip
    met = True
    for label, r in results:
        ratio = r["rps"] / trivial
        signed_in = "signed in" in label
        target = 0.25 if signed_in else 0.5
        ok = ratio >= target and not r["errors"]
        met &= ok
        miss, miss_cpu = misses[label]
        miss_text = f"{miss:.1f} ({miss_cpu:.1f})" + ("" if signed_in or miss <= 10 else " > 10")
        print(f"| {label} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {ratio:.3f} | "
              f"≥ {target} {'met' if ok else 'NOT met'}"
              f"{' (' + str(r['errors']) + ' errors)' if r['errors'] else ''} | {miss_text} |")  # fmt: skip
    print(
        f"\nall ratio targets {'met' if met else 'NOT met'}; gunicorn log: {log.relative_to(ROOT)}"
    )
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
