"""Issue 19 point 1 in Chromium: a posting synced from two boards shows "Listed at" beside the
Apply panel at 1280 px and below it on a 390 px phone, no wider than the phone, with no serious
axe-core violation. Screenshots at both widths into $JOBTRAIL_SCREENSHOTS when set."""

from pathlib import Path

import pytest

from tests.e2e.helpers import SCREENSHOTS
from tests.e2e.test_pages import _axe
from tests.jobs.sources.board_server import Board

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def synced_twice(settings):
    from jobs.models import Posting
    from tests.jobs.sources.test_sync import add, sync

    settings.SOURCES_HOST_INTERVAL_MS = 0
    board = Board()
    try:
        sync(add(board, "greenhouse", company="Northwind Robotics"))
        sync(add(board, "jsonld", company="Northwind Robotics"))
    finally:
        board.close()
    return Posting.objects.get(title="Backend Engineer 1")


def test_listed_at_fits_a_phone_and_a_desktop(live_server, browser, synced_twice):
    page = browser.new_context().new_page()
    problems = []
    for width, height in ((390, 844), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}{synced_twice.get_absolute_url()}")
        panel = page.locator(".listed-panel")
        assert panel.is_visible()
        assert panel.locator("li").count() == 2
        assert (
            panel.locator("a", has_text="Greenhouse")
            .get_attribute("href")
            .endswith("/gh/jobs/1001")
        )
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{scroll} px wide at {width} px")
        problems += _axe(page, live_server.url)
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{SCREENSHOTS}/posting-listed-at-{width}.png", full_page=True)
            panel.screenshot(path=f"{SCREENSHOTS}/posting-listed-at-panel-{width}.png")
    assert not problems, problems
