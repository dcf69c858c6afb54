"""`make run` end to end: serves with a worker, stops everything on Ctrl-C, keeps its data.

`python -m config.run` runs with a data directory of its own (JOBTRAIL_DATA_DIR), so it starts
its own embedded PostgreSQL and Redis and never touches the servers other tests share.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


HEALTHZ_TOKEN = "test-run-healthz-token"  # noqa: S105 - the details of /healthz need it


def _healthz(port: int) -> dict | None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Authorization": f"Bearer {HEALTHZ_TOKEN}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - http on loopback
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)
    except OSError:
        return None


def _leftovers(data_dir: Path) -> list[str]:
    """Every process that belongs to this run: its children carry JOBTRAIL_DATA_DIR, the
    PostgreSQL server names the data directory, Redis runs in it."""
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        try:
            cmdline = " ".join(proc.info["cmdline"] or [])
            if (
                str(data_dir) in cmdline
                or proc.environ().get("JOBTRAIL_DATA_DIR") == str(data_dir)
                or proc.cwd().startswith(str(data_dir))
            ):
                found.append(f"{proc.pid} {cmdline}")
        except psutil.Error:
            continue
    return found


class Run:
    def __init__(self, data_dir: Path, log: Path, port: int | None = None):
        self.port = port or _free_port()
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env.update(
            JOBTRAIL_DATA_DIR=str(data_dir),
            PORT=str(self.port),
            DEBUG="1",
            PYTHONUNBUFFERED="1",
            HEALTHZ_TOKEN=HEALTHZ_TOKEN,
        )
        for name in ("JOBTRAIL_EMBEDDED_REDIS", "JOBTRAIL_TESTING", "EMAIL_URL"):
            env.pop(name, None)
        self.log = log
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "config.run"],
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, like a terminal's job
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_healthy(self, *, need: str = "ok", timeout: float = 240) -> dict:
        deadline = time.monotonic() + timeout
        report = None
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.output()
            report = _healthz(self.port)
            if report and report.get(need):
                return report
            time.sleep(1)
        raise AssertionError(f"not healthy: {report}\n{self.output()}")

    def wait_output(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            assert self.proc.poll() is None and time.monotonic() < deadline, self.output()
            time.sleep(0.2)

    def ctrl_c(self) -> int:
        os.killpg(self.proc.pid, signal.SIGINT)  # what the terminal sends on Ctrl-C
        return self.proc.wait(60)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    # Shared by this module's tests: only the first pays for initdb, migrations and demo data.
    path = tmp_path_factory.mktemp("run") / "data"
    yield path
    for line in _leftovers(path):  # never leave a failed run's processes behind
        pid = int(line.split()[0])
        with contextlib.suppress(psutil.Error):
            psutil.Process(pid).kill()


def test_make_run_serves_stops_cleanly_on_ctrl_c_and_keeps_its_data(data_dir, tmp_path):
    first = Run(data_dir, tmp_path / "first.log")
    try:
        report = first.wait_healthy()
        checks = ("ok", "database", "redis", "worker", "beat")
        assert {k: report[k] for k in checks} == dict.fromkeys(checks, True)
        with urllib.request.urlopen(f"http://127.0.0.1:{first.port}/", timeout=10) as response:
            assert response.status == 200
    finally:
        returncode = first.ctrl_c()
    output = first.output()
    assert returncode == 0, output
    assert f"http://127.0.0.1:{first.port}/" in output
    assert "demo@jobtrail.local" in output and "Demo data loaded" in output
    for label in ("web    |", "worker |", "beat   |", "system |"):
        assert label in output, label
    assert _leftovers(data_dir) == [], output

    second = Run(data_dir, tmp_path / "second.log")
    try:
        second.wait_healthy(need="database")
    finally:
        returncode = second.ctrl_c()
    output = second.output()
    assert returncode == 0, output
    assert "Demo data already present" in output
    assert _leftovers(data_dir) == [], output


def test_make_run_stops_what_a_killed_run_left_behind(data_dir, tmp_path):
    killed = Run(data_dir, tmp_path / "killed.log")
    killed.wait_healthy(need="database")
    killed.proc.kill()  # SIGKILL to the runner alone: its children live on, unsupervised
    killed.proc.wait(10)
    assert _healthz(killed.port) is not None

    later = Run(data_dir, tmp_path / "later.log", port=killed.port)
    try:
        later.wait_output("Jobtrail is running")  # the old web server answers until then
        later.wait_healthy(need="database")
    finally:
        returncode = later.ctrl_c()
    output = later.output()
    assert returncode == 0, output
    assert "left by an earlier `make run` that was killed" in output
    assert _leftovers(data_dir) == [], output


def _child(data_dir: Path, marker: str) -> psutil.Process:
    """The supervised process of this run whose command line has `marker`."""
    for proc in psutil.process_iter(["cmdline"]):
        try:
            cmdline = " ".join(proc.info["cmdline"] or [])
            if marker in cmdline and proc.environ().get("JOBTRAIL_DATA_DIR") == str(data_dir):
                return proc
        except psutil.Error:
            continue
    raise AssertionError(f"no process with {marker!r}")


def test_make_run_restarts_a_killed_worker_and_web_server(data_dir, tmp_path):
    """Issue 16, finding 9: `kill -9` of the worker used to stop web, beat and the servers."""
    run = Run(data_dir, tmp_path / "restart.log")
    try:
        run.wait_healthy(need="worker")
        worker = _child(data_dir, "celery -A config worker")
        worker.kill()
        run.wait_output("worker exited unexpectedly; restarting in 1 s")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(AssertionError):
                if _child(data_dir, "celery -A config worker").pid != worker.pid:
                    break
            time.sleep(0.5)
        else:
            raise AssertionError(run.output())
        assert run.output().count("worker started") == 2, run.output()

        web = _child(data_dir, "manage.py runserver")
        os.killpg(web.pid, signal.SIGKILL)  # the autoreloader and its server child
        run.wait_output("web exited unexpectedly; restarting in 1 s")
        report = run.wait_healthy(need="ok", timeout=60)  # served again, by a new web server
        assert report["worker"] and report["beat"]
    finally:
        returncode = run.ctrl_c()
    output = run.output()
    assert returncode == 0, output
    assert _leftovers(data_dir) == [], output
