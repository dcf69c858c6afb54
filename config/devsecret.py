"""The development SECRET_KEY: generated once per data directory and kept there.

A key written in the source would be the same on every checkout, so anyone could sign an
unsubscribe token or a session cookie for a development instance. Production never comes here:
settings require SECRET_KEY from the environment when DEBUG is off.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from pathlib import Path

FILE_NAME = "secret_key"


def data_dir() -> Path:
    base = Path(__file__).resolve().parent.parent
    return Path(os.environ.get("JOBTRAIL_DATA_DIR", base / ".data")).resolve()


def development_secret_key(directory: Path | None = None) -> str:
    """The key stored in `directory` (the data directory), created on first use.

    Two processes starting at once (web, worker, beat) must agree: the file is created with
    O_EXCL, so one writer wins and the others read what it wrote.
    """
    directory = directory or data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / FILE_NAME
    key = secrets.token_urlsafe(50)
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
    for _ in range(50):  # a concurrent writer may not have written its key yet
        stored = path.read_text().strip()
        if stored:
            return stored
        time.sleep(0.05)
    raise RuntimeError(f"{path} is empty: delete it and start again")
