"""Development defaults (issue 16, finding 14): SITE_URL follows where `make run` serves, and the
development SECRET_KEY is generated per data directory instead of being written in the source."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]


def _settings_value(name: str, **env: str) -> str:
    """`name` as a freshly started development process sees it (settings only, no server)."""
    base = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "SECRET_KEY", "HOST"}}
    base.update(
        DEBUG="1",
        DATABASE_URL=os.environ.get("DATABASE_URL") or "postgres://x@db.invalid/x",
        REDIS_URL=settings.REDIS_URL,
        JOBTRAIL_TESTING="0",
    )
    base.update(env)
    code = f"from config import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=base, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_site_url_defaults_to_the_port_make_run_serves(tmp_path):
    data = str(tmp_path)
    assert _settings_value("SITE_URL", PORT="8300", JOBTRAIL_DATA_DIR=data) == (
        "http://127.0.0.1:8300"
    )
    assert _settings_value("SITE_URL", HOST="0.0.0.0", PORT="8301", JOBTRAIL_DATA_DIR=data) == (  # noqa: S104
        "http://127.0.0.1:8301"
    )
    assert _settings_value("SITE_URL", HOST="localhost", PORT="9000", JOBTRAIL_DATA_DIR=data) == (
        "http://localhost:9000"
    )
    # An explicit SITE_URL still wins.
    assert (
        _settings_value("SITE_URL", PORT="8300", SITE_URL="https://x.test/", JOBTRAIL_DATA_DIR=data)
        == "https://x.test"
    )


def test_the_development_secret_key_is_generated_per_data_directory(tmp_path):
    first_dir, second_dir = tmp_path / "a", tmp_path / "b"
    key = _settings_value("SECRET_KEY", JOBTRAIL_DATA_DIR=str(first_dir))
    assert len(key) >= 50
    assert _settings_value("SECRET_KEY", JOBTRAIL_DATA_DIR=str(first_dir)) == key  # kept
    assert (first_dir / "secret_key").read_text().strip() == key
    assert (first_dir / "secret_key").stat().st_mode & 0o077 == 0  # readable by the owner only
    assert _settings_value("SECRET_KEY", JOBTRAIL_DATA_DIR=str(second_dir)) != key
    # No key to forge tokens with is written in the source any more.
    source = (BASE_DIR / "config" / "settings.py").read_text()
    assert "django-insecure" not in source
    assert key not in source


def test_trusted_proxy_count_comes_from_the_environment(tmp_path):
    data = str(tmp_path)
    assert _settings_value("ALLAUTH_TRUSTED_PROXY_COUNT", JOBTRAIL_DATA_DIR=data) == "0"
    assert (
        _settings_value(
            "ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="2", JOBTRAIL_DATA_DIR=data
        )
        == "2"
    )
