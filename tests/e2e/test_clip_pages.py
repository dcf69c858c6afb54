"""The clip pages in Chromium at 1280 and 390 px: the settings page with the bookmarklet and a
token, the paste page, its preview and the clipped job's page. Screenshots go to
$JOBTRAIL_SCREENSHOTS when it is set."""

from pathlib import Path

import pytest

from tests.e2e.helpers import logged_in_page, shoot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).resolve().parents[1] / "jobs" / "clip" / "fixtures"


def test_paste_preview_save_in_the_browser(browser, live_server):
    user = UserFactory()
    page = logged_in_page(browser, live_server, user)
    page.goto(f"{live_server.url}/account/tokens/")
    page.fill("#token-name", "Laptop")
    page.click("text=Make a token")
    assert page.input_value("#new-token").startswith("jt_")
    shoot(page, "clip-tokens")
    page.goto(f"{live_server.url}/clip/paste/")
    shoot(page, "clip-paste")
    page.fill("#id_url", "https://jobs.example.test/agg")
    page.fill("#id_content", (FIXTURES / "aggregator.html").read_text())
    page.click("text=Preview")
    assert page.input_value("#id_company") == "Brightline Labs"
    shoot(page, "clip-preview")
    page.click("button[value=save]")
    page.wait_for_url(f"{live_server.url}/applications/*/")
    assert "Content Safety Machine Learning Intern" in page.text_content("h1")
    assert "Pro Tip" not in page.content()
    shoot(page, "clip-application")
