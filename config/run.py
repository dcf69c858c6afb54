"""`make run`: migrate, seed demo data on first run, then web + Celery worker + Celery beat.

The embedded PostgreSQL and Redis (when DATABASE_URL / REDIS_URL are unset) are held by this
process for as long as it lives; the children get the URLs in their environment, so they never
start servers of their own. Ctrl-C (SIGINT), SIGTERM or SIGHUP stop the children first (each runs
in its own process group, which is signalled as a whole: runserver's autoreloader child and
Celery's pool go with their parent), then this process exits and the embedded servers stop with it.
A child that crashes (or is killed) on its own is restarted with a back-off (config/supervisor.py).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import socket
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

BASE_DIR = Path(__file__).resolve().parent.parent


def _stop_on_signal(signum, frame):
    # Before the process manager takes over: turn SIGTERM/SIGHUP into a normal exit so that
    # atexit handlers (which release the embedded servers) run.
    raise SystemExit(128 + signum)


def _banner(url: str) -> str:
    from accounts.demo import (
        ADMIN_EMAIL,
        ADMIN_PASSWORD,
        DEMO_EMAIL,
        DEMO_PASSWORD,
        EMPLOYER_EMAIL,
        EMPLOYER_PASSWORD,
    )

    return (
        f"\n  Jobtrail is running on {url}\n"
        f"  Demo login:  {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
        f"  Employer:    {EMPLOYER_EMAIL} / {EMPLOYER_PASSWORD}  (Parallax Video, {url}employer/)\n"
        f"  Staff login: {ADMIN_EMAIL} / {ADMIN_PASSWORD}  (review queue at {url}staff/review/)\n"
        f"  Emails are printed here and kept at {url}dev/mail/ (staff only)\n"
        f"  Health: {url}healthz\n"
        "  Ctrl-C stops everything.\n\n"
    )


def _announce_when_listening(host: str, port: int, text: str, stop: threading.Event) -> None:
    """Print the banner again once the web server accepts connections (it scrolls away)."""
    deadline = time.monotonic() + 120
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                sys.stdout.write(text)
                sys.stdout.flush()
                return
        except OSError:
            stop.wait(0.5)


def processes(*, host: str, port: int, data_dir: Path) -> dict[str, str]:
    """The three commands `make run` supervises, by label. Each records its pid (which is also
    its process group: honcho starts every command in a session of its own) in run.pids."""
    python = shlex.quote(sys.executable)
    schedule = shlex.quote(str(data_dir / "celerybeat-schedule"))
    record = f"echo $$ >> {shlex.quote(str(data_dir / 'run.pids'))}; exec"
    return {
        "web": f"{record} {python} manage.py runserver {host}:{port}",
        "worker": (
            # Threads, not prefork children: Ctrl-C signals the whole process group, and pool
            # children killed mid-task would log WorkerLostError; threads finish their task
            # during the warm shutdown (acks_late still redelivers anything cut short).
            f"{record} {python} -m celery -A config worker --loglevel=INFO --pool=threads"
            " --concurrency=4 --hostname=worker@%h"
        ),
        "beat": f"{record} {python} -m celery -A config beat --loglevel=INFO --schedule={schedule}",
    }


def stop_orphans(data_dir: Path) -> int:
    """Stop the children of an earlier `make run` that was killed outright (SIGKILL): nothing
    stopped them then, and they would hold the port and the embedded servers. Children whose
    runner is still alive (another `make run` in this checkout) are left alone."""
    import psutil

    pidfile = data_dir / "run.pids"
    try:
        pids = {int(line) for line in pidfile.read_text().split() if line.isdigit()}
    except FileNotFoundError:
        return 0
    supervised, orphans = [], []
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            cmdline = " ".join(proc.cmdline())
            if proc.cwd() != str(BASE_DIR) or not (
                "manage.py runserver" in cmdline or "celery -A config" in cmdline
            ):
                continue  # the pid now belongs to something else
            wrapper = proc.parent()
            runner = wrapper.parent() if wrapper else None
            if runner and "config.run" in " ".join(runner.cmdline()):
                supervised.append(pid)
            else:
                orphans.append((proc, wrapper))
        except psutil.Error:
            continue
    for proc, _wrapper in orphans:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGTERM)
    psutil.wait_procs([proc for proc, _ in orphans], timeout=10)
    for proc, wrapper in orphans:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        # honcho's reader process of the killed runner, if it is still around
        if wrapper and wrapper.pid != os.getpid():
            with contextlib.suppress(psutil.Error):
                if "config.run" in " ".join(wrapper.cmdline()):
                    wrapper.kill()
    pidfile.write_text("".join(f"{pid}\n" for pid in supervised))
    return len(orphans)


def main() -> int:
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop_on_signal)

    from config.embedded import DATA_DIR

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    if stopped := stop_orphans(DATA_DIR):
        print(f"Stopped {stopped} process(es) left by an earlier `make run` that was killed.")

    import django

    django.setup()  # acquires the embedded servers unless DATABASE_URL / REDIS_URL are set

    from django.core.management import call_command
    from honcho.printer import Printer

    from config.supervisor import SupervisingManager

    call_command("migrate", interactive=False, verbosity=1)
    call_command("seed_demo", only_if_empty=True)
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()  # the children open their own; nothing is shared across fork
    caches.close_all()  # the same for Redis: honcho forks a wrapper per child

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    manager = SupervisingManager(Printer(sys.stdout, colour=sys.stdout.isatty()))
    for name, command in processes(host=host, port=port, data_dir=DATA_DIR).items():
        manager.add_process(name, command, env=env, cwd=str(BASE_DIR))

    browse_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104
    text = _banner(f"http://{browse_host}:{port}/")
    print(text, flush=True)
    stop = threading.Event()
    threading.Thread(
        target=_announce_when_listening, args=(browse_host, port, text, stop), daemon=True
    ).start()

    # The manager handles SIGINT/SIGTERM from here on (it terminates every child's group);
    # a closed terminal (SIGHUP) does the same.
    signal.signal(signal.SIGHUP, lambda signum, frame: manager.terminate())
    try:
        manager.loop()
    finally:
        stop.set()
    # 130/143: stopped on request (Ctrl-C, SIGTERM); not a failure worth a make error.
    return 0 if manager.returncode in (None, 130, 143) else manager.returncode


if __name__ == "__main__":
    sys.exit(main())
