"""Load benchmark: signed-in users browsing, searching, saving and moving cards on gunicorn.

    .venv/bin/python bench/load.py                                # 50 users, 2 minutes
    .venv/bin/python bench/load.py --users 10 --duration 20 --rows 5000

Needs locust (the `bench` extra, pinned in requirements-bench.lock). It is not in the dev extra:
it brings gevent and a pytest plugin. Either install it into .venv
(`.venv/bin/pip install -r requirements-bench.lock`) or keep it in a venv of its own, which is
found by itself (or name another with --locust-python):

    python3 -m venv .data/bench-venv
    .data/bench-venv/bin/pip install -c requirements-bench.lock locust

The data lives in a database of its own (`bench_load` by default) on the embedded PostgreSQL,
or on the server of DATABASE_URL when it is set: --rows synthetic postings from bench/search.py's
SQL generator, the demo data of `manage.py seed_demo` (summaries computed in-process, as are those
of the newest 3,000 postings), and one bench user per simulated person (verified email, saved
jobs, applications spread over the stages). A second run with the same --rows reuses it
(--rebuild forces a new build).

Then gunicorn (--workers, default 4) serves the production settings (DEBUG off, SECRET_KEY of
the run, manifest static files collected under .data/bench_load_static) on 127.0.0.1; the
cache and broker use their own Redis database (--redis-db) and key prefix. Locust plays the
users headless from bench/load_locustfile.py (a think time of --think seconds between actions,
like a person reading), talking to gunicorn as the reference deployment's TLS proxy does
(X-Forwarded-Proto: https), so nothing in the settings is relaxed for the bench. A short
warm-up (one request per worker and query kind) is not counted.

Printed: requests, requests/s, p50/p95/p99/max per endpoint group and overall, errors
(an unexpected status, a redirect to the login page, or an exception; by kind), gunicorn's CPU
use, server errors in its log, and the load average before and after. gunicorn, locust and
their children are stopped on exit, Ctrl-C included. Logs and the raw requests are kept under
bench/results/load-<time>/. Target: 0 errors, p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GROUPS = ["jobs list", "search (htmx)", "search (page)", "posting", "save", "unsave", "board",
          "move", "dashboard", "saved"]  # fmt: skip
SKILLS = ["Python", "Django", "PostgreSQL", "SQL", "AWS", "Docker", "React", "Kubernetes"]
SAVED_PER_USER = 8
APPLICATIONS_PER_USER = 12
SUMMARIZED = 3_000  # newest postings given a summary (the demo postings have theirs)
STATIC_ROOT = ROOT / ".data" / "bench_load_static"
# gunicorn's access log: the request line, status, microseconds in the worker, and HX-Request.
ACCESS_FORMAT = '%(t)s "%(r)s" %(s)s %(D)s hx=%({hx-request}i)s'
ACCESS_RE = re.compile(r'"(\w+) (\S+) [^"]*" (\d+) (\d+) hx=(\S*)$')


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- data ----------------------------------------------------------------------------------


def prepare(rows: int, users: int, rebuild: bool) -> None:
    """Postings (bench/search.py's generator), the demo data, and the bench users."""
    from django.core.management import call_command
    from django.db import connection

    from bench.search import build, built_rows

    if rebuild or built_rows() != rows:
        build(rows)
    say("demo data (manage.py seed_demo)")
    call_command("seed_demo")
    summarize_newest(SUMMARIZED)
    ensure_users(users)
    with connection.cursor() as cur:
        for table in ("tracking_savedjob", "tracking_application", "tracking_stagechange",
                      "tracking_stage", "accounts_user", "account_emailaddress"):  # fmt: skip
            cur.execute(f"ANALYZE {table}")


def summarize_newest(n: int) -> None:
    """Summaries for the newest published postings (the first pages of the list): the
    generator writes none, and computing 100,000 takes the better part of half an hour."""
    from jobs.models import Posting
    from jobs.summary.services import posting_summary_refresh, postings_needing_summary

    newest = Posting.objects.published().order_by("-published_at").values("pk")[:n]
    todo = postings_needing_summary().filter(pk__in=newest)
    count = todo.count()
    if count:
        say(f"summaries of the newest {n:,} postings ({count:,} missing)")
        for posting in todo.iterator(chunk_size=200):
            posting_summary_refresh(posting=posting)


def user_email(i: int) -> str:
    return f"load-{i:02d}@bench.jobtrail.local"


def ensure_users(n: int) -> None:
    """Bench users 1..n with a verified email, saved jobs and applications (made once)."""
    from allauth.account.models import EmailAddress
    from django.db import connection

    from accounts.models import Profile, User
    from jobs.models import Posting
    from tracking.applications import services
    from tracking.models import Application, SavedJob
    from tracking.saved.services import saved_job_save

    rng = random.Random(7)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id FROM jobs_posting WHERE status = 'published' AND expires_at > now() "
            "ORDER BY hashint4(id::int) LIMIT 3000"
        )
        ids = [r[0] for r in cur.fetchall()]
    made = 0
    for i in range(1, n + 1):
        email = user_email(i)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None)
            Profile.objects.filter(user=user).update(
                display_name=f"Load {i}", skills=rng.sample(SKILLS, 4), timezone="Europe/Berlin"
            )
            made += 1
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        picks = rng.sample(ids, SAVED_PER_USER + APPLICATIONS_PER_USER)
        if not SavedJob.objects.for_user(user).exists():
            for posting in Posting.objects.filter(pk__in=picks[:SAVED_PER_USER]):
                saved_job_save(user=user, posting=posting)
        if not Application.objects.for_user(user).exists():
            stages = [s for s in services.stages_ensure(user=user) if not s.archived]
            for posting in Posting.objects.filter(pk__in=picks[SAVED_PER_USER:]):
                application, _ = services.application_create_from_posting(
                    user=user, posting=posting
                )
                stage = rng.choice(stages[:5])
                if stage.pk != application.stage_id:
                    services.application_move(application=application, stage=stage, by=user)
    if made:
        say(f"made {made} bench users ({SAVED_PER_USER} saved jobs and "
            f"{APPLICATIONS_PER_USER} applications each)")  # fmt: skip


def sessions(n: int) -> list[dict[str, str]]:
    """A signed-in session per bench user (earlier runs' sessions are dropped: our database)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    from accounts.models import User

    Session.objects.all().delete()
    out = []
    for user in User.objects.filter(email__in=[user_email(i) for i in range(1, n + 1)]):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        out.append({"email": user.email, "session": store.session_key})
    return sorted(out, key=lambda u: u["email"])


def clear_cache(prefix: str) -> None:
    """Start from a cold cache: delete this bench's keys (only those: the prefix is ours)."""
    from django.core.cache import cache

    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start : start + 500])


# --- processes -----------------------------------------------------------------------------


def collectstatic_needed() -> bool:
    """Collect once, and again when a file under static/ is newer than the manifest."""
    manifest = STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():
        return True
    newest = max(
        (p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file()), default=0
    )
    return newest > manifest.stat().st_mtime


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(proc: subprocess.Popen | None, name: str) -> None:
    """SIGTERM to the process group we started (gunicorn's master stops its workers; locust
    writes its records), up to 20 s to finish, then SIGKILL to whatever is left of the group."""
    if proc is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        say(f"{name} did not stop in 20 s; killing its process group")
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def request(url: str, headers: dict[str, str]) -> int:
    req = urllib.request.Request(url, headers=headers)  # noqa: S310 - a loopback URL
    try:
        with urllib.request.urlopen(req, timeout=30) as response:  # noqa: S310 - loopback URL
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def wait_ready(base: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited ({proc.returncode}); see {log}")
        try:
            request(base + "/healthz", {})  # 503 without a Celery worker: still an answer
            return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer /healthz in 60 s; see {log}")


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def children_cpu() -> float:
    """CPU seconds of this process's children that have exited and been waited for."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def locust_python(given: str | None) -> str:
    candidates = (
        [given]
        if given
        else [sys.executable, str(ROOT / ".data" / "bench-venv" / "bin" / "python")]
    )
    for python in candidates:
        if python and Path(python).exists():
            ok = subprocess.run([python, "-c", "import locust"], capture_output=True).returncode
            if ok == 0:
                return python
    raise SystemExit(
        "locust is not installed (the `bench` extra). Install it into this venv:\n"
        f"    {sys.executable} -m pip install -r requirements-bench.lock\n"
        "or into a venv of its own and name its Python:\n"
        "    python3 -m venv .data/bench-venv && .data/bench-venv/bin/pip install -c requirements-bench.lock locust\n"
        "    (.data/bench-venv/bin/python is then found by itself; else pass --locust-python)"
    )


# --- figures -------------------------------------------------------------------------------


def report(records: Path, elapsed: float, server: dict[str, list[float]]) -> bool:
    from bench.search import pct

    rows = []
    with open(records, newline="") as handle:
        for row in csv.DictReader(handle):
            rows.append((float(row["start"]), row["group"], float(row["ms"]), row["error"]))
    if not rows:
        print("no requests were made")
        return False
    first = min(r[0] for r in rows)
    last = max(r[0] + r[2] / 1000 for r in rows)
    window = max(last - first, 1e-9)
    groups = [g for g in GROUPS if any(r[1] == g for r in rows)]
    groups += sorted({r[1] for r in rows} - set(groups))
    header = (f"{'group':<14} {'requests':>8} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} "
              f"{'max':>6} {'errors':>6} | {'server p50':>10} {'p95':>6}")  # fmt: skip
    print()
    print(header)
    print("-" * len(header))

    def line(label: str, sel: list, worker_ms: list[float]) -> None:
        ms = [r[2] for r in sel]
        errors = sum(1 for r in sel if r[3])
        print(f"{label:<14} {len(sel):>8} {len(sel) / window:>6.1f} {pct(ms, .5):>6.0f} "
              f"{pct(ms, .95):>6.0f} {pct(ms, .99):>6.0f} {max(ms):>6.0f} {errors:>6} | "
              f"{pct(worker_ms, .5):>10.0f} {pct(worker_ms, .95):>6.0f}")  # fmt: skip

    for group in groups:
        line(group, [r for r in rows if r[1] == group], server.get(group, []))
    print("-" * len(header))
    line("all", rows, [ms for group_ms in server.values() for ms in group_ms])
    errors = [r for r in rows if r[3]]
    kinds: dict[tuple[str, str], int] = {}
    for r in errors:
        kinds[(r[1], r[3][:120])] = kinds.get((r[1], r[3][:120]), 0) + 1
    for (group, error), count in sorted(kinds.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  error x{count} in {group}: {error}")
    p95 = pct([r[2] for r in rows], 0.95)
    print()
    print("ms. Left: as locust saw them, from sending the request to the last byte of the final")
    print("response. Right: time inside gunicorn's worker (its access log), without the queueing")
    print("in front of the workers and the load generator's own delays.")
    print(f"{len(rows):,} requests in {window:.1f} s ({elapsed:.0f} s with start and stop): "
          f"{len(rows) / window:.1f} requests/s; p95 {p95:.0f} ms; {len(errors)} errors")  # fmt: skip
    met = not errors and p95 <= 300
    print(f"target 0 errors, p95 <= 300 ms: {'met' if met else 'NOT met'}")
    return met


def group_of(method: str, path: str, htmx: bool) -> str:
    """The locustfile's group of a request, from what gunicorn logged."""
    path, _, query = path.partition("?")
    if method == "POST":
        if path.startswith("/saved/save/"):
            return "save"
        if path.startswith("/saved/unsave/"):
            return "unsave"
        return "move" if path.endswith("/move/") else "other"
    if re.match(r"^/jobs/\d+-", path):
        return "posting"
    if path == "/jobs/":
        if "q=" not in query:
            return "jobs list"
        return "search (htmx)" if htmx else "search (page)"
    return {"/applications/": "board", "/dashboard/": "dashboard", "/saved/": "saved"}.get(
        path, "other"
    )


def server_times(access_log: Path, offset: int) -> dict[str, list[float]]:
    """Milliseconds in gunicorn's workers per group, from the access log past `offset`."""
    times: dict[str, list[float]] = {}
    with open(access_log, "rb") as handle:
        handle.seek(offset)
        for raw in handle:
            m = ACCESS_RE.search(raw.decode(errors="replace").rstrip())
            if m:
                group = group_of(m.group(1), m.group(2), m.group(5) == "true")
                times.setdefault(group, []).append(int(m.group(4)) / 1000)
    return times


def scan_log(log: Path) -> None:
    text = log.read_text(errors="replace") if log.exists() else ""
    counts = {
        "tracebacks": text.count("Traceback (most recent call last)"),
        "worker timeouts": text.count("WORKER TIMEOUT"),
        "worker restarts": text.count("Booting worker") - 0,
    }
    print(f"gunicorn log: {counts['tracebacks']} tracebacks, {counts['worker timeouts']} worker "
          f"timeouts, {counts['worker restarts']} workers booted ({log})")  # fmt: skip


# --- main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50, help="simulated people (default 50)")
    parser.add_argument("--duration", type=int, default=120, help="seconds of load (120)")
    parser.add_argument("--rows", type=int, default=100_000, help="synthetic postings")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--think", default="1-3", help="seconds between a user's actions (1-3)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--database", default="bench_load")
    parser.add_argument("--redis-db", type=int, default=15, help="embedded Redis database (15)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild even if the data exists")
    parser.add_argument("--locust-python", help="a Python with locust (default: this one)")
    args = parser.parse_args()
    if args.database == "bench_jobtrail":
        parser.error("bench_jobtrail belongs to bench/search.py; give load a database of its own")
    think = [float(x) for x in args.think.split("-")] * 2
    command = shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv]))
    python = locust_python(args.locust_python)

    # Settings: one SECRET_KEY for this process (sessions, auth hashes) and gunicorn's.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ.pop("JOBTRAIL_EMBEDDED_REDIS", None)
    prefix = f"bench-load-{args.database}"
    os.environ["CACHE_KEY_PREFIX"] = prefix
    os.environ["LOG_LEVEL"] = "WARNING"  # not a line per summary task while seeding
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        from config import embedded

        urls = embedded.acquire(
            postgres=not os.environ.get("DATABASE_URL"), redis=not os.environ.get("REDIS_URL")
        )
        if "REDIS_URL" in urls:  # the embedded server: a database of the bench's own
            urls["REDIS_URL"] = urls["REDIS_URL"].rsplit("/", 1)[0] + f"/{args.redis_db}"
        os.environ.update(urls)
    from bench.search import bootstrap, describe_data

    bootstrap(args.database)  # creates the database if missing, migrates, django.setup()
    from config.celery import app as celery_app

    celery_app.conf.task_always_eager = True  # seed_demo's summaries, here and now
    from django.db import connection

    t0 = time.monotonic()
    prepare(args.rows, args.users, args.rebuild)
    say(f"{describe_data()}; data ready in {time.monotonic() - t0:.0f} s")
    users = sessions(args.users)
    if len(users) < args.users:
        raise SystemExit(f"only {len(users)} bench users")
    clear_cache(prefix)
    connection.close()

    out = ROOT / "bench" / "results" / f"load-{time.strftime('%Y%m%d-%H%M%S')}"
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    origin = f"https://127.0.0.1:{port}"
    (out / "users.json").write_text(
        json.dumps({"origin": origin, "session_cookie": "sessionid", "users": users})
    )
    env = {k: v for k, v in os.environ.items() if k not in {"JOBTRAIL_TESTING", "DEBUG"}}
    env.update(
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=origin,
        STATIC_ROOT=str(STATIC_ROOT),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    gunicorn = locust = None
    server_log = out / "gunicorn.log"

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    records = out / "requests.csv"
    code: int | None = None
    interrupted = False
    try:
        try:
            if collectstatic_needed():
                say("collectstatic (manifest storage, as in production)")
                subprocess.run(
                    [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                    cwd=ROOT, env=env, check=True,
                )  # fmt: skip
            with open(out / "gunicorn.out", "w") as log:
                gunicorn = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "config.wsgi:application",
                     "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
                     "--forwarded-allow-ips", "127.0.0.1",
                     "--access-logfile", str(out / "access.log"),
                     "--access-logformat", ACCESS_FORMAT,
                     "--error-logfile", str(server_log)],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            wait_ready(base, gunicorn, server_log)
            say(f"gunicorn: {args.workers} workers on {base} (pid {gunicorn.pid}); warm-up")
            cookie = f"sessionid={users[0]['session']}"
            proxy = {"X-Forwarded-Proto": "https"}
            for path in ["/jobs/", "/jobs/?q=python", "/jobs/?q=data&country=DE",
                         "/applications/", "/dashboard/", "/saved/"] * args.workers:  # fmt: skip
                request(base + path, {**proxy, "Cookie": cookie})
            cpu0 = tree_cpu(gunicorn.pid)
            log_offset = (out / "access.log").stat().st_size
            say(f"load average before: {load_average()}")
            say(f"locust: {args.users} users (think {think[0]:g}-{think[1]:g} s, "
                f"{args.spawn_rate:g} started a second) for {args.duration} s")  # fmt: skip
            locust_env = {
                **os.environ,
                "JOBTRAIL_LOAD_USERS": str(out / "users.json"),
                "JOBTRAIL_LOAD_OUT": str(records),
                "JOBTRAIL_LOAD_THINK": f"{think[0]},{think[1]}",
            }
            started = time.monotonic()
            children0 = children_cpu()
            with open(out / "locust.log", "w") as log:
                locust = subprocess.Popen(
                    [python, "-m", "locust", "-f", str(ROOT / "bench" / "load_locustfile.py"),
                     "--headless", "--users", str(args.users),
                     "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.duration}s",
                     "--stop-timeout", "10", "--host", base, "--only-summary",
                     "--loglevel", "WARNING", "--exit-code-on-error", "0"],
                    cwd=ROOT, env=locust_env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            try:
                code = locust.wait(args.duration + 120)
            except subprocess.TimeoutExpired:
                say("locust did not finish in time")
        except KeyboardInterrupt:
            interrupted = True
            say("interrupted: stopping locust and gunicorn")
        if locust is None or gunicorn is None:
            sys.exit(130 if interrupted else 1)
        stop(locust, "locust")  # it writes the requests it made as it quits
        elapsed = time.monotonic() - started
        cpu = tree_cpu(gunicorn.pid) - cpu0
        locust_cpu = children_cpu() - children0  # the only child reaped meanwhile
        say(f"load average after: {load_average()}")
        if not records.exists():
            tail = (out / "locust.log").read_text(errors="replace")[-3000:]
            raise SystemExit(f"locust wrote no requests (exit {code}):\n{tail}")
        print(f"\ncommand: {command}" + (" (interrupted)" if interrupted else ""))
        met = report(records, elapsed, server_times(out / "access.log", log_offset))
        cores = os.cpu_count() or 1
        print(f"CPU over {elapsed:.0f} s on {cores} cores: gunicorn {cpu:.0f} s "
              f"({cpu / elapsed / cores * 100:.0f}%), locust {locust_cpu:.0f} s "
              f"({locust_cpu / elapsed / cores * 100:.0f}%); PostgreSQL and other work "
              f"on the machine not counted")  # fmt: skip
        scan_log(server_log)
        print(f"logs and raw requests: {out.relative_to(ROOT)}/")
        sys.exit(130 if interrupted else 0 if met else 1)
    finally:
        stop(locust, "locust")
        stop(gunicorn, "gunicorn")


if __name__ == "__main__":
    main()
