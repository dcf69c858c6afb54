"""The browser extension, unpacked, in Chromium: its options take the Jobtrail address and a
token, its popup reads a job page served by a local server (JSON-LD and chrome), shows what it
found, and saves then tracks it into the running Jobtrail (live_server), with a link.

Extensions need a persistent context and Chromium's new headless mode (`--headless=new` with
Playwright's headless=False), which /usr/bin/chromium supports.
"""

import functools
import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from accounts.tokens.services import api_token_create
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.helpers import shoot
from tests.factories import UserFactory
from tracking.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXTENSION = (Path(__file__).resolve().parents[2] / "extension").resolve()
FIXTURES = Path(__file__).resolve().parents[1] / "jobs" / "clip" / "fixtures"


def unpacked_extension_id(path: Path) -> str:
    """Chromium names an unpacked extension after its directory: the first 32 hex digits of
    SHA-256(path), written with the letters a–p."""
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


@pytest.fixture
def fixture_site():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FIXTURES))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def extension_context(playwright, tmp_path):
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=False,
        args=[
            "--headless=new",
            f"--disable-extensions-except={EXTENSION}",
            f"--load-extension={EXTENSION}",
            *CHROMIUM_ARGS,
        ],
    )
    yield context
    context.close()


def test_clip_a_job_page_with_the_extension(extension_context, fixture_site, live_server):
    user = UserFactory()
    _, secret = api_token_create(user=user, name="Extension")
    ext_id = unpacked_extension_id(EXTENSION)
    base = f"chrome-extension://{ext_id}"

    options = extension_context.new_page()
    options.goto(f"{base}/options.html")
    options.fill("#base", live_server.url + "/")
    options.fill("#token", secret)
    options.click("text=Save settings")
    options.wait_for_selector("text=Saved.")

    job = extension_context.new_page()
    job.goto(f"{fixture_site}/aggregator_jsonld.html")
    tab_id = options.evaluate(
        "u => chrome.tabs.query({url: u}).then(t => t[0].id)", f"{fixture_site}/*"
    )

    popup = extension_context.new_page()
    popup.goto(f"{base}/popup.html?tab={tab_id}")
    popup.wait_for_selector("#found:not([hidden])")
    assert popup.text_content("#f-title") == "Content Safety Machine Learning Intern"
    assert popup.text_content("#f-company") == "Brightline Labs"
    assert popup.text_content("#f-location") == "Seattle, WA, US"
    assert popup.text_content("#f-salary") == "USD 45–55 an hour"
    assert popup.text_content("#f-closes") == "2027-01-31"
    assert not Application.objects.exists()  # the preview saves nothing

    popup.fill("#note", "From JobHub")
    shoot(popup, "clip-extension-popup")
    popup.click("#clip-button")
    popup.wait_for_selector("#result:not([hidden])")
    app = Application.objects.get(user=user)
    assert app.stage.key == "saved" and app.expires_at is not None
    assert "Pro Tip" not in app.posting_text and "AI-Powered" not in app.posting_text
    link = popup.get_attribute("#result-link", "href")
    assert link == live_server.url + app.get_absolute_url()

    # Clipping it again says so and links to the same record.
    again = extension_context.new_page()
    again.goto(f"{base}/popup.html?tab={tab_id}")
    again.wait_for_selector("#result:not([hidden])")
    assert "already" in again.text_content("#status").lower()
    assert again.get_attribute("#result-link", "href") == link
    assert Application.objects.filter(user=user).count() == 1

    # A page without JSON-LD, tracked into a stage.
    job.goto(f"{fixture_site}/indeed.html")
    track = extension_context.new_page()
    track.goto(f"{base}/popup.html?tab={tab_id}")
    track.wait_for_selector("#clip-form:not([hidden])")
    assert track.text_content("#f-company") == "Juniper Bistro"
    track.check("input[value=track]")
    track.fill("#stage", "Applied")
    track.click("#clip-button")
    track.wait_for_selector("#result:not([hidden])")
    cook = Application.objects.get(user=user, title="Line Cook")
    assert cook.stage.key == "applied"


def test_the_popup_asks_for_settings_first(extension_context):
    page = extension_context.new_page()
    page.goto(f"chrome-extension://{unpacked_extension_id(EXTENSION)}/popup.html?tab=1")
    page.wait_for_selector("#setup:not([hidden])")
    assert "not set up" in page.text_content("#status")


def test_unpacked_extension_id_is_chromiums():
    # The documented example: a path hashes to 32 letters a–p.
    value = unpacked_extension_id(Path("/x"))
    assert len(value) == 32 and set(value) <= set("abcdefghijklmnop")


def test_the_bookmarklet_clips_with_the_session(browser, live_server, fixture_site):
    """The settings page's bookmarklet, run on a job page of another site: it opens the clip
    window (signed in, no token), hands it the page, and the preview saves the job."""
    from urllib.parse import unquote

    from tests.e2e.helpers import logged_in_page

    user = UserFactory()
    settings_page = logged_in_page(browser, live_server, user)
    settings_page.goto(f"{live_server.url}/account/tokens/")
    href = settings_page.get_attribute("#bookmarklet", "href")
    assert href.startswith("javascript:")
    job = settings_page.context.new_page()
    job.goto(f"{fixture_site}/greenhouse.html")
    with job.expect_popup() as opened:
        job.evaluate(unquote(href[len("javascript:") :]))
    window = opened.value
    window.wait_for_selector("#clip-keep")
    assert window.input_value("#id_title") == "Senior Backend Engineer"
    assert window.input_value("#id_company") == "Northwind Analytics"
    window.click("button[value=save]")
    window.wait_for_url(f"{live_server.url}/applications/*/")
    app = Application.objects.get(user=user)
    assert app.title == "Senior Backend Engineer" and app.expires_at is not None
