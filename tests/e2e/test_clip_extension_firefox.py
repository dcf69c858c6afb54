"""The browser extension, unpacked, in Firefox ESR (the stock build, not Playwright's): WebDriver
BiDi through puppeteer-core (tests/e2e/firefox/clip.mjs) installs it, fills its settings, opens a
fixture job page, and the popup previews then saves the job into the running Jobtrail.

Skipped, saying why, where Firefox ESR, node or puppeteer-core is missing: `make firefox`
installs them (Debian's firefox-esr, and puppeteer-core from the npm registry, which `make test`
does not assume is reachable).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from accounts.tokens.services import api_token_create
from tests.e2e.test_clip_extension import EXTENSION, fixture_site  # noqa: F401 - a fixture
from tests.factories import UserFactory
from tracking.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRIVER = Path(__file__).resolve().parent / "firefox"
FIREFOX = os.environ.get("FIREFOX", "/usr/bin/firefox-esr")


def _missing() -> str:
    if not Path(FIREFOX).exists():
        return f"no Firefox at {FIREFOX} (make firefox)"
    if not shutil.which("node"):
        return "no node (make firefox)"
    if not (DRIVER / "node_modules" / "puppeteer-core").exists():
        return "no puppeteer-core in tests/e2e/firefox (make firefox)"
    return ""


@pytest.mark.skipif(bool(_missing()), reason=_missing() or "ready")
def test_clip_a_job_page_with_the_extension_in_firefox(fixture_site, live_server):  # noqa: F811
    user = UserFactory()
    _, secret = api_token_create(user=user, name="Firefox")
    run = subprocess.run(
        ["node", str(DRIVER / "clip.mjs"), str(EXTENSION), live_server.url, secret,
         f"{fixture_site}/aggregator_jsonld.html"],
        capture_output=True, text=True, timeout=180, cwd=DRIVER,
        env={**os.environ, "FIREFOX": FIREFOX},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert "error" not in seen, seen["error"]
    assert seen["options"] == "Saved."  # the host permission for Jobtrail was granted
    assert seen["title"] == "Content Safety Machine Learning Intern"
    assert seen["company"] == "Brightline Labs"
    assert seen["location"] == "Seattle, WA, US"
    assert seen["salary"] == "USD 45–55 an hour"
    assert seen["closes"] == "2027-01-31"
    app = Application.objects.get(user=user)
    assert app.stage.key == "saved" and app.expires_at is not None
    assert app.notes.get().body == "From Firefox"
    assert "Pro Tip" not in app.posting_text
    assert seen["link"] == live_server.url + app.get_absolute_url()
