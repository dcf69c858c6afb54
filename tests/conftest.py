import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's deliberate slowness is for attackers, not for test fixtures (seconds per test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate-limit counters and cached pages live in Redis; each test starts without them."""
    cache.clear()
    yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def user(django_user_model):
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_user():
    from tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def owner_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def outsider_client(other_user):
    """A client of its own: a test may hold both owner_client and outsider_client."""
    from django.test import Client

    client = Client()
    client.force_login(other_user)
    return client


def _database_url_for_tests() -> str:
    """The test database's URL, for processes of their own (workers, web servers)."""
    from urllib.parse import quote

    db = settings.DATABASES["default"]
    user = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        user += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{user}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real Celery worker process on the real Redis broker and the test database."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for_tests(),
        "REDIS_URL": settings.REDIS_URL,
        "JOBTRAIL_EMBEDDED_REDIS": "0",
        "JOBTRAIL_TESTING": "1",
        "EMAIL_URL": os.environ.get("EMAIL_URL", "locmem://"),
    }
    hostname = f"test-{os.getpid()}-{time.monotonic_ns()}@%h"
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING",
         "--concurrency=2", "--pool=prefork", f"--hostname={hostname}", "--without-gossip",
         "--without-mingle"],
        env=env,
        start_new_session=True,
    )  # fmt: skip
    from config.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            break
        if proc.poll() is not None:
            raise RuntimeError("the Celery worker exited during start-up")
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        raise RuntimeError("the Celery worker did not answer a ping within 60 s")
    yield proc
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
