"""`make run`'s process manager (issue 16, finding 9): a crashed child is restarted with a
back-off and the restart is logged; a stop request still stops everything; a child that keeps
failing at once stops the run instead of looping forever."""

import io
import os
import signal
import threading
import time

import pytest
from honcho.printer import Printer

from config.supervisor import SupervisingManager, restart_delay


@pytest.fixture(autouse=True)
def _keep_signal_handlers():
    """The manager installs its own SIGINT/SIGTERM handlers; pytest's come back afterwards."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def _manager(**settings) -> tuple[SupervisingManager, io.StringIO]:
    out = io.StringIO()
    manager = SupervisingManager(Printer(out, colour=False))
    for name, value in settings.items():
        setattr(manager, name, value)
    return manager, out


def _stop_later(manager: SupervisingManager, seconds: float) -> threading.Timer:
    # What Ctrl-C does: the manager's SIGINT handler calls terminate().
    timer = threading.Timer(seconds, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    return timer


def test_the_back_off_doubles_up_to_a_cap():
    assert [restart_delay(n) for n in (1, 2, 3, 4, 5, 6, 7)] == [1, 2, 4, 8, 16, 30, 30]


def test_a_crashed_child_is_restarted_and_the_others_keep_running(tmp_path):
    manager, out = _manager(base_delay=0.2, max_delay=0.4)
    starts = tmp_path / "starts"
    manager.add_process("crashy", f"echo start >> {starts}; sleep 0.3; kill -9 $$")
    manager.add_process("steady", "sleep 30")
    timer = _stop_later(manager, 4)
    started = time.monotonic()
    manager.loop()
    timer.cancel()
    log = out.getvalue()
    assert time.monotonic() - started < 15, log
    assert starts.read_text().count("start") >= 3, log
    assert "crashy exited unexpectedly; restarting in 0.2 s (restart 1 in a row)" in log
    assert "crashy exited unexpectedly; restarting in 0.4 s (restart 2 in a row)" in log
    assert log.count("steady started") == 1, log  # never stopped by its neighbour's crash
    assert "SIGINT received" in log
    assert manager.returncode == 130


def test_a_child_that_keeps_failing_at_once_stops_the_run():
    manager, out = _manager(base_delay=0.05, max_delay=0.05, give_up_after=3)
    manager.add_process("broken", "exit 3")
    manager.add_process("steady", "sleep 30")
    timer = _stop_later(manager, 20)  # a safety net; the manager should give up long before
    manager.loop()
    timer.cancel()
    log = out.getvalue()
    assert "broken failed 3 times in a row right after starting; stopping everything" in log
    assert manager.returncode == 3
