"""Back and forward through an htmx search on /jobs/ in Chromium: the search box and the filters
show the search whose results are on screen (a cached snapshot would come back with an empty
box above "2 jobs for “python”")."""

import pytest
from playwright.sync_api import expect

from tests.jobs.test_search_browser import board

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_going_back_shows_the_words_of_the_search_on_screen(live_server, page):
    board()
    page.goto(f"{live_server.url}/jobs/")
    page.fill("#search-q", "python")
    page.wait_for_url("**/jobs/?q=python")
    page.locator("input[name=workplace][value=remote]").check()
    page.wait_for_url("**/jobs/?q=python&workplace=remote")
    expect(page.locator(".result-card")).to_have_count(1)

    page.go_back()
    page.wait_for_url("**/jobs/?q=python")
    expect(page.locator(".result-card")).to_have_count(2)
    expect(page.locator("#search-q")).to_have_value("python")
    expect(page.locator("input[name=workplace][value=remote]")).not_to_be_checked()

    page.go_forward()
    page.wait_for_url("**/jobs/?q=python&workplace=remote")
    expect(page.locator(".result-card")).to_have_count(1)
    expect(page.locator("#search-q")).to_have_value("python")
    expect(page.locator("input[name=workplace][value=remote]")).to_be_checked()
