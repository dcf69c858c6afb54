"""Deployment defaults (issue 16, finding 13): a Content-Security-Policy and a Permissions-Policy
on every page, no inline script, event handler or style attribute that the policy would block,
X-Forwarded-Proto trusted only when configured."""

import re
from pathlib import Path

import pytest

from tests.config.test_dev_defaults import _settings_value

BASE_DIR = Path(__file__).resolve().parents[2]
TEMPLATES = BASE_DIR / "templates"
# Emails are not pages (no CSP applies in a mail client); the dev mailbox preview allows inline
# styles on purpose (config/views.py, dev_mail_detail).
NOT_PAGES = ("email/", "account/email/", "dev/mail_detail.html")


def _directives(header: str) -> dict[str, set[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = set(values)
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/jobs/", "/accounts/login/", "/healthz"])
def test_every_page_has_a_strict_content_security_policy(client, url):
    response = client.get(url)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == {"'self'"}
    assert policy["script-src"] == {"'self'"}  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == {"'self'"}
    assert policy["object-src"] == {"'none'"}
    assert policy["base-uri"] == {"'none'"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["form-action"] == {"'self'"}
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def _page_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        rel = path.relative_to(TEMPLATES).as_posix()
        if not any(rel.startswith(p) or f"/{p}" in f"/{rel}" for p in NOT_PAGES):
            yield rel, path.read_text()


def test_no_page_template_has_what_the_policy_blocks():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    style_attr = re.compile(r"\sstyle\s*=", re.I)
    style_tag = re.compile(r"<style\b", re.I)
    found = []
    for rel, text in _page_templates():
        for label, pattern in (
            ("inline script", inline_script),
            ("event handler", handler),
            ("style attribute", style_attr),
            ("style element", style_tag),
        ):
            if pattern.search(text):
                found.append(f"{rel}: {label}")
    assert found == []


def test_htmx_injects_no_style_and_evaluates_nothing():
    base = (TEMPLATES / "base.html").read_text()
    assert '"includeIndicatorStyles": false' in base and '"allowEval": false' in base
    assert ".htmx-indicator" in (BASE_DIR / "static/css/jobtrail.css").read_text()


def test_x_forwarded_proto_is_trusted_only_when_configured(tmp_path):
    data = str(tmp_path)
    assert _settings_value("SECURE_PROXY_SSL_HEADER", JOBTRAIL_DATA_DIR=data) == "None"
    assert _settings_value(
        "SECURE_PROXY_SSL_HEADER", TRUST_X_FORWARDED_PROTO="1", JOBTRAIL_DATA_DIR=data
    ) == str(("HTTP_X_FORWARDED_PROTO", "https"))


@pytest.mark.django_db
def test_a_client_cannot_claim_https_by_default(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = None  # the default without TRUST_X_FORWARDED_PROTO
    response = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
    assert response.wsgi_request.is_secure() is False
