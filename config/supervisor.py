"""The process manager of `make run`: honcho's, except that a crashed child is restarted.

honcho stops everything when one process exits; a worker killed by the OOM killer (or `kill -9`)
took the web server, beat and the embedded servers with it. Here a child that exits on its own is
started again after a back-off (1 s, 2 s, 4 s ... at most MAX_DELAY; back to 1 s once it has run
for STABLE_AFTER seconds), and each restart is logged on the `system` line. Ctrl-C or SIGTERM
still stops everything. A child that keeps failing right after its start (GIVE_UP_AFTER times in
a row: a port in use, a broken setting) stops the whole run with its exit status, instead of
looping forever.
"""

from __future__ import annotations

import contextlib
import datetime
import multiprocessing
import os
import queue
import signal
import time

from honcho.manager import KILL_WAIT, SIGNALS, Manager

BASE_DELAY = 1.0
MAX_DELAY = 30.0
STABLE_AFTER = 60.0
GIVE_UP_AFTER = 8


def restart_delay(failures: int, *, base: float = BASE_DELAY, cap: float = MAX_DELAY) -> float:
    """Seconds to wait before the `failures`-th restart in a row."""
    return min(cap, base * 2 ** max(0, failures - 1))


class SupervisingManager(Manager):
    base_delay = BASE_DELAY
    max_delay = MAX_DELAY
    stable_after = STABLE_AFTER
    give_up_after = GIVE_UP_AFTER

    def loop(self) -> None:
        def _terminate(signum, frame):
            self._system_print(f"{SIGNALS[signum]['name']} received\n")
            self.returncode = SIGNALS[signum]["rc"]
            self.terminate()

        signal.signal(signal.SIGTERM, _terminate)
        signal.signal(signal.SIGINT, _terminate)

        for name in self._processes:
            self._spawn(name)
        failures: dict[str, int] = dict.fromkeys(self._processes, 0)
        due: dict[str, float] = {}  # name -> monotonic time of its restart
        exit_start = None

        while True:
            try:
                msg = self.events.get(timeout=0.1)
            except queue.Empty:
                msg = None
            if msg is not None:
                entry = self._processes[msg.name]
                if msg.type == "line":
                    self._printer.write(msg)
                elif msg.type == "start":
                    entry["pid"] = msg.data["pid"]
                    entry["started"] = time.monotonic()
                    self._system_print(f"{msg.name} started (pid={msg.data['pid']})\n")
                elif msg.type == "stop":
                    self._on_stop(msg.name, msg.data["returncode"], failures, due)
            else:
                # A wrapper that died without its "stop" message (killed): all it sent is read
                # (the queue is empty), so count it as stopped rather than wait for it forever.
                for name, entry in self._processes.items():
                    process = entry.get("process")
                    if (
                        entry.get("returncode") is None
                        and process is not None
                        and process.exitcode is not None
                    ):
                        self._on_stop(name, process.exitcode, failures, due)

            if self._terminating:
                due.clear()
                if exit_start is None:
                    exit_start = self._clock.now()
                if all(p.get("returncode") is not None for p in self._processes.values()):
                    if msg is None:  # drained the last lines
                        break
                elif self._clock.now() - exit_start > datetime.timedelta(seconds=KILL_WAIT):
                    self.kill()
                continue

            now = time.monotonic()
            for name, at in list(due.items()):
                if at <= now:
                    del due[name]
                    self._spawn(name)

    def _on_stop(
        self, name: str, returncode: int, failures: dict[str, int], due: dict[str, float]
    ) -> None:
        entry = self._processes[name]
        entry["returncode"] = returncode
        entry["process"].join(1)
        self._system_print(f"{name} stopped (rc={returncode})\n")
        if self._terminating:
            return
        self._reap_group(entry.get("pid"))
        ran = time.monotonic() - entry.get("started", time.monotonic())
        failures[name] = 1 if ran >= self.stable_after else failures[name] + 1
        if failures[name] > self.give_up_after:
            self._system_print(
                f"{name} failed {self.give_up_after} times in a row right after starting;"
                " stopping everything\n"
            )
            self.returncode = returncode or 1
            self.terminate()
            return
        delay = restart_delay(failures[name], base=self.base_delay, cap=self.max_delay)
        self._system_print(
            f"{name} exited unexpectedly; restarting in {delay:g} s"
            f" (restart {failures[name]} in a row)\n"
        )
        due[name] = time.monotonic() + delay

    def _spawn(self, name: str) -> None:
        entry = self._processes[name]
        entry.pop("returncode", None)
        entry["pid"] = None
        entry["process"] = multiprocessing.Process(
            name=name, target=entry["obj"].run, args=(self.events, True)
        )
        entry["process"].start()

    def _killall(self, force: bool = False) -> None:
        for name, entry in self._processes.items():
            if entry.get("returncode") is not None or not entry.get("pid"):
                continue
            signame = "SIGKILL" if force else "SIGTERM"
            self._system_print(f"sending {signame} to {name} (pid {entry['pid']})\n")
            if force:
                self._procmgr.kill(entry["pid"])
            else:
                self._procmgr.terminate(entry["pid"])

    @staticmethod
    def _reap_group(pid: int | None) -> None:
        """What the dead child left in its process group (a runserver child, a pool process)
        would hold the port or the queue: stop it before starting a new one."""
        if pid:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
