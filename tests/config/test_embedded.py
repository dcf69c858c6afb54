"""The embedded PostgreSQL and Redis: shared by concurrent commands, stopped by the last user.

Every scenario runs in subprocesses with a data directory of its own (JOBTRAIL_DATA_DIR), so
the servers that other test runs share are never touched.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import psycopg
import pytest
import redis

pytestmark = pytest.mark.services

BASE_DIR = Path(__file__).resolve().parents[2]

# A user of the embedded servers: acquire, run an optional snippet, report the URLs, then hold
# the servers until stdin closes and exit normally (atexit releases them).
USER_SCRIPT = """
import json, sys
from config import embedded
urls = embedded.acquire()
exec(sys.argv[1])
print(json.dumps(urls), flush=True)
sys.stdin.readline()
"""


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("embedded") / "data"
    yield path
    # Whatever a failed test left running goes with the directory.
    _python(path, "from config import embedded; embedded.reset()")


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return {**env, "JOBTRAIL_DATA_DIR": str(data_dir)}


def _python(data_dir: Path, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _start_user(data_dir: Path, snippet: str = "") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", USER_SCRIPT, snippet],
        cwd=BASE_DIR,
        env=_env(data_dir),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _urls(proc: subprocess.Popen) -> dict[str, str]:
    line = proc.stdout.readline()
    assert line, proc.stderr.read()
    return json.loads(line)


def _stop_user(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    assert proc.wait(60) == 0, proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()


def _postmasters(data_dir: Path) -> list[psutil.Process]:
    pg_dir = str(data_dir / "postgres")
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if "-D" in cmdline and pg_dir in cmdline and Path(cmdline[0]).name == "postgres":
            found.append(proc)
    return found


def _redis_servers(data_dir: Path) -> list[psutil.Process]:
    redis_dir = str(data_dir / "redis")
    found = []
    for proc in psutil.process_iter(["name"]):
        if proc.info["name"] == "redis-server":
            try:
                if proc.cwd() == redis_dir:
                    found.append(proc)
            except psutil.Error:
                pass
    return found


def _wait_until(condition, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _stopped(data_dir: Path) -> bool:
    return _wait_until(lambda: not _postmasters(data_dir) and not _redis_servers(data_dir))


def test_two_commands_starting_at_once_share_one_server_of_each(data_dir):
    first, second = _start_user(data_dir), _start_user(data_dir)
    first_urls, second_urls = _urls(first), _urls(second)

    assert first_urls == second_urls
    assert len(_postmasters(data_dir)) == 1
    assert len(_redis_servers(data_dir)) == 1
    assert sorted(p.name for p in (data_dir / "users").iterdir()) == sorted(
        [str(first.pid), str(second.pid)]
    )

    _stop_user(first)
    with psycopg.connect(second_urls["DATABASE_URL"]) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert redis.Redis.from_url(second_urls["REDIS_URL"]).ping()

    _stop_user(second)
    assert _stopped(data_dir)
    assert list((data_dir / "users").iterdir()) == []


def test_a_user_killed_with_sigkill_does_not_keep_the_servers_alive(data_dir):
    killed, survivor = _start_user(data_dir), _start_user(data_dir)
    _urls(killed), _urls(survivor)

    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(10)
    assert (data_dir / "users" / str(killed.pid)).exists()  # a stale registration

    _stop_user(survivor)
    assert _stopped(data_dir)
    assert list((data_dir / "users").iterdir()) == []


def test_servers_left_by_a_killed_last_user_are_reused_then_stopped(data_dir):
    killed = _start_user(data_dir)
    urls = _urls(killed)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(10)
    assert len(_postmasters(data_dir)) == 1  # nobody was left to stop them

    later = _start_user(data_dir)
    assert _urls(later) == urls  # the running servers are adopted, not started twice
    assert len(_postmasters(data_dir)) == 1
    _stop_user(later)
    assert _stopped(data_dir)


def test_a_registration_whose_pid_was_reused_does_not_count_as_a_user(data_dir):
    # Our own pid is alive, but the file says it belongs to a process started at another time.
    users = data_dir / "users"
    users.mkdir(parents=True, exist_ok=True)
    (users / str(os.getpid())).write_text("1")

    user = _start_user(data_dir)
    _urls(user)
    _stop_user(user)

    assert _stopped(data_dir)
    assert not (users / str(os.getpid())).exists()


def test_data_is_kept_across_restarts(data_dir):
    write = (
        "import psycopg, redis\n"
        "with psycopg.connect(urls['DATABASE_URL'], autocommit=True) as c:\n"
        "    c.execute('CREATE TABLE IF NOT EXISTS kept (v text)')\n"
        "    c.execute(\"INSERT INTO kept VALUES ('still here')\")\n"
        "redis.Redis.from_url(urls['REDIS_URL']).set('kept', 'still here')\n"
    )
    writer = _start_user(data_dir, write)
    _urls(writer)
    _stop_user(writer)
    assert _stopped(data_dir)

    reader = _start_user(data_dir)
    urls = _urls(reader)
    try:
        with psycopg.connect(urls["DATABASE_URL"]) as conn:
            assert conn.execute("SELECT v FROM kept").fetchall() == [("still here",)]
        assert redis.Redis.from_url(urls["REDIS_URL"]).get("kept") == b"still here"
    finally:
        _stop_user(reader)
    assert _stopped(data_dir)
