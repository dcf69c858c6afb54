"""The reference deployment (Dockerfile, docker-compose.yml) and Django's deployment checks.

Docker itself is not needed: the compose file is parsed and checked, and the image's build step
(collectstatic) and `check --deploy` run here with the same production-like environment.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings

from tests.conftest import _database_url_for_tests

BASE_DIR = Path(__file__).resolve().parents[2]
APP_SERVICES = {"migrate", "web", "worker", "beat"}
APP_ENV = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def _interpolate(value: str) -> str:
    """Resolve ${VAR:-default} the way compose does when VAR is unset."""
    return re.sub(r"\$\{\w+(?::?-([^}]*))?[^}]*\}", lambda m: m.group(1) or "", value)


def _env(compose: dict, service: str) -> dict[str, str]:
    return {k: _interpolate(str(v)) for k, v in compose["services"][service]["environment"].items()}


def test_compose_runs_postgres_redis_web_worker_beat_and_a_mail_catcher(compose):
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert services["web"]["command"][:2] == ["gunicorn", "config.wsgi:application"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in APP_SERVICES:
        assert services[name]["build"] == "."


def test_every_app_service_gets_the_production_environment(compose):
    for name in APP_SERVICES:
        env = _env(compose, name)
        assert set(env) >= APP_ENV, name
        assert "DEBUG" not in env, name
        assert env["SITE_URL"].startswith("https://"), name
        assert env["EMAIL_URL"] == "smtp://mailpit:1025", name
        assert urlsplit(env["REDIS_URL"]).hostname == "redis", name
        # Behind the TLS proxy: rate limits see the client, not the proxy (issue 16, 6).
        assert env["TRUSTED_PROXY_COUNT"] == "1", name
        # SECRET_KEY has no default: compose refuses to start without one.
        assert ":?" in compose["services"][name]["environment"]["SECRET_KEY"], name


def test_database_url_matches_the_postgres_service(compose):
    database = urlsplit(_env(compose, "web")["DATABASE_URL"])
    postgres = _env(compose, "postgres")
    assert database.scheme == "postgres"
    assert database.hostname == "postgres"
    assert database.port == 5432
    assert database.username == postgres["POSTGRES_USER"]
    assert database.password == postgres["POSTGRES_PASSWORD"]
    assert database.path == "/" + postgres["POSTGRES_DB"]


def test_services_have_healthchecks_and_start_in_order(compose):
    services = compose["services"]
    for name in ("postgres", "redis", "mailpit", "web", "worker"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
    assert services["postgres"]["volumes"] and services["redis"]["volumes"]


def test_dockerfile_builds_a_non_root_gunicorn_image_from_the_lock_file():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    instructions = [
        line.split(None, 1)
        for line in dockerfile.splitlines()
        if line and not line.startswith((" ", "#"))
    ]
    assert instructions[0] == ["FROM", "python:3.11-slim"]
    users = [arg for keyword, arg in instructions if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}
    assert "pip install -r requirements.lock" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    cmd = [arg for keyword, arg in instructions if keyword == "CMD"][-1]
    assert "gunicorn" in cmd and "config.wsgi:application" in cmd
    ignored = (BASE_DIR / ".dockerignore").read_text().split()
    assert {".venv", ".data", ".git"} <= set(ignored)


def _production_env(**extra: str) -> dict[str, str]:
    """A clean environment as a server would have it: nothing from this test run leaks in
    (DEBUG, DJANGO_ALLOW_ASYNC_UNSAFE, the test database knobs ...)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/"),
        "LANG": "C.UTF-8",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "jobtrail.example.com",
        "SITE_URL": "https://jobtrail.example.com",
        "EMAIL_URL": "smtp://mail.example.com:587/?tls=True",
        **extra,
    }


def test_check_deploy_passes_with_production_settings():
    env = _production_env(
        DATABASE_URL=_database_url_for_tests(),
        REDIS_URL=settings.REDIS_URL,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = _production_env(DATABASE_URL="postgres://x@db.invalid/x", REDIS_URL="redis://r.invalid")
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_image_build_step_collects_static_files(tmp_path):
    # The same environment as the Dockerfile's collectstatic: no server is reachable.
    env = _production_env(
        DATABASE_URL="postgres://build@build.invalid/build",
        REDIS_URL="redis://build.invalid:6379/0",
        STATIC_ROOT=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles.json").exists()  # hashed names for whitenoise
    assert list(tmp_path.glob("css/jobtrail.*.css.gz"))


def test_web_and_worker_share_the_uploaded_files(compose):
    services = compose["services"]
    assert "media:/app/.data/media" in services["web"]["volumes"]
    assert "media:/app/.data/media" in services["worker"]["volumes"]


def test_mailpit_and_the_web_port_are_bound_to_loopback_by_default(compose):
    """Issue 16, finding 13: the inbox has no login, and the web port expects the TLS proxy."""
    services = compose["services"]
    assert [_interpolate(p) for p in services["mailpit"]["ports"]] == ["127.0.0.1:8025:8025"]
    assert [_interpolate(p) for p in services["web"]["ports"]] == ["127.0.0.1:8000:8000"]
    for name in APP_SERVICES:
        assert _env(compose, name)["TRUST_X_FORWARDED_PROTO"] == "1", name


def test_gunicorn_trusts_no_proxy_header_on_its_own(compose):
    # "--forwarded-allow-ips *" let any client set the request's scheme (X-Forwarded-Proto).
    assert "--forwarded-allow-ips" not in compose["services"]["web"]["command"]
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    cmd = dockerfile[dockerfile.rindex("\nCMD") :]
    assert "gunicorn" in cmd and "--forwarded-allow-ips" not in cmd
