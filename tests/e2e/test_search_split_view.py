"""The search page in Chromium (issue 20): at 1280 px a card opens the posting beside the results
and the address follows the selection; at 390 px the results come first and the filters open in
a sheet; toggling filters quickly leaves no error in the console; facets stay disjunctive."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.jobs.board.test_search_browser import board

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("JOBTRAIL_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_at_1280_a_card_opens_the_posting_beside_the_results(live_server, page):
    board()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/jobs/?q=python")
    expect(page.locator(".result-card")).to_have_count(2)
    expect(page.locator("#detail-pane")).to_be_visible()
    expect(page.locator("#filters .search-filters")).to_be_visible()  # a column, not a sheet

    card = page.locator(".result-card").filter(has_text="Python Data Analyst")
    card.get_by_role("link", name="Python Data Analyst").click()
    pane = page.locator("#detail-pane")
    expect(pane.get_by_role("heading", name="Python Data Analyst", level=2)).to_be_visible()
    page.wait_for_url(re.compile(r"/jobs/\?q=python&selected=\d+$"))
    expect(card).to_have_class(re.compile("is-selected"))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)  # "Find a job" only
    shot(page, "search-split-1280")

    # The address is the page: reloading it shows the same posting beside the results.
    page.reload()
    expect(pane.get_by_role("heading", name="Python Data Analyst", level=2)).to_be_visible()
    pane.get_by_role("link", name="Open the full page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Python Data Analyst")


def test_at_390_the_results_come_first_and_the_filters_open_in_a_sheet(live_server, page):
    board()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/jobs/?q=python")
    expect(page.locator("#detail-pane")).to_be_hidden()
    sheet = page.locator("#filters")
    expect(page.locator("input[name=workplace][value=remote]")).to_be_hidden()
    # The first result is on the first screen, above the fold.
    first = page.locator(".result-card").first.bounding_box()
    assert first and first["y"] < 844, first
    shot(page, "search-phone-390")

    sheet.locator("summary").click()
    remote = page.locator("input[name=workplace][value=remote]")
    expect(remote).to_be_visible()
    remote.check()
    page.wait_for_url("**workplace=remote**")
    expect(page.locator(".result-card")).to_have_count(1)
    expect(page.locator("input[name=workplace][value=hybrid]")).to_be_visible()  # sheet stays open
    shot(page, "search-phone-sheet-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width

    # On a phone a card's link opens the posting's own page.
    page.locator("#filters summary").click()
    page.locator(".result-card").first.get_by_role("link", name="Senior Python Developer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Senior Python Developer")


def test_ticking_filters_quickly_leaves_no_console_error_and_facets_stay(live_server, page):
    board()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/jobs/")
    for _ in range(3):
        for value in ("remote", "hybrid", "onsite"):
            page.locator(f"input[name=workplace][value={value}]").click()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    assert errors == []
    # Every workplace option is still there with its count (the facet ignores its own filter).
    for value, count in (("remote", "2"), ("hybrid", "2"), ("onsite", "2")):
        row = page.locator(f"label[for=f-workplace-{value}]")
        expect(row.locator(".facet-count")).to_have_text(count)
