"""`make run`'s process manager (issue 16, finding 9): a crashed child is restarted with a
back-off and the restart is logged; a stop request still stops everything; a child that keeps
failing at once stops the run instead of looping forever.

The manager forks its wrappers, so each test runs it in a fresh interpreter (as `make run`
does), never inside the pytest process with its open database and Redis connections.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

from config.supervisor import restart_delay

BASE_DIR = Path(__file__).resolve().parents[2]


def _run_manager(processes: dict[str, str], *, stop_after: float, **settings) -> tuple[int, str]:
    """Run a SupervisingManager over `processes`; SIGINT (Ctrl-C) after `stop_after` seconds.
    Returns the manager's returncode and its log."""
    script = textwrap.dedent(
        f"""
        import io, os, signal, sys, threading
        from honcho.printer import Printer
        from config.supervisor import SupervisingManager

        out = io.StringIO()
        manager = SupervisingManager(Printer(out, colour=False))
        for name, value in {settings!r}.items():
            setattr(manager, name, value)
        for name, command in {processes!r}.items():
            manager.add_process(name, command)
        timer = threading.Timer({stop_after}, lambda: os.kill(os.getpid(), signal.SIGINT))
        timer.daemon = True
        timer.start()
        manager.loop()
        sys.stdout.write(out.getvalue())
        sys.stdout.write(f"RETURNCODE={{manager.returncode}}\\n")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=stop_after + 60,
    )
    assert "RETURNCODE=" in result.stdout, result.stdout + result.stderr
    log, _, code = result.stdout.rpartition("RETURNCODE=")
    return int(code.strip()), log


def test_the_back_off_doubles_up_to_a_cap():
    assert [restart_delay(n) for n in (1, 2, 3, 4, 5, 6, 7)] == [1, 2, 4, 8, 16, 30, 30]


def test_a_crashed_child_is_restarted_and_the_others_keep_running(tmp_path):
    starts = tmp_path / "starts"
    returncode, log = _run_manager(
        {
            "crashy": f"echo start >> {starts}; sleep 0.3; kill -9 $$",
            "steady": "sleep 30",
        },
        stop_after=4,
        base_delay=0.2,
        max_delay=0.4,
    )
    assert starts.read_text().count("start") >= 3, log
    assert "crashy exited unexpectedly; restarting in 0.2 s (restart 1 in a row)" in log
    assert "crashy exited unexpectedly; restarting in 0.4 s (restart 2 in a row)" in log
    assert log.count("steady started") == 1, log  # never stopped by its neighbour's crash
    assert "SIGINT received" in log
    assert returncode == 130


def test_a_child_that_keeps_failing_at_once_stops_the_run():
    returncode, log = _run_manager(
        {"broken": "exit 3", "steady": "sleep 30"},
        stop_after=30,  # a safety net; the manager gives up long before
        base_delay=0.05,
        max_delay=0.05,
        give_up_after=3,
    )
    assert "broken failed 3 times in a row right after starting; stopping everything" in log
    assert "SIGINT received" not in log
    assert returncode == 3
