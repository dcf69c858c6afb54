"""The /jobs/ search page in Chromium: htmx updates as you type and tick, the URL follows."""

import os

import pytest
from playwright.sync_api import expect

from jobs.board.search import refresh_search_terms, refresh_search_vectors
from tests.factories import CompanyFactory, LocationFactory, PostingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SEARCH_SCREENSHOTS", "")


def board():
    berlin = LocationFactory(city="Berlin", country="DE")
    paris = LocationFactory(city="Paris", country="FR")
    london = LocationFactory(city="London", country="GB")
    acme = CompanyFactory(name="Acme Robotics", slug="acme")
    nimbus = CompanyFactory(name="Nimbus Health", slug="nimbus")
    rows = [
        ("Senior Python Developer", acme, "remote", "full_time", "senior", [berlin], 70000, 90000),
        ("Data Engineer", nimbus, "hybrid", "full_time", "mid", [paris], 55000, 65000),
        ("Machine Learning Intern", acme, "onsite", "internship", "internship", [london], None, None),
        ("Frontend Engineer (React)", nimbus, "remote", "contract", "mid", [berlin, paris], 600, 700),
        ("Python Data Analyst", acme, "hybrid", "part_time", "entry", [london], 30000, 35000),
        ("Platform Engineer, Kubernetes", nimbus, "onsite", "full_time", "senior", [berlin], 80000, 95000),
    ]  # fmt: skip
    ids = []
    for title, company, workplace, etype, level, locs, low, high in rows:
        posting = PostingFactory(
            title=title, company=company, workplace=workplace, employment_type=etype, level=level,
            salary_min=low, salary_max=high, salary_currency="EUR",
            salary_period="day" if low and low < 1000 else "year",
            description=f"<p>Join {company.name} as a {title}. You will build reliable services, "
            "work with data pipelines and ship to customers every week.</p>",
        )  # fmt: skip
        posting.locations.set(locs)
        ids.append(posting.id)
    refresh_search_vectors(ids)
    refresh_search_terms()


def test_typing_and_ticking_update_the_results_and_the_url(live_server, page):
    board()
    page.goto(f"{live_server.url}/jobs/")
    assert page.locator(".result-card").count() == 6
    page.fill("#search-q", "python")
    page.wait_for_url("**/jobs/?q=python")
    assert page.locator(".result-card").count() == 2
    assert page.locator(".result-card mark").first.inner_text().lower() == "python"
    page.locator("input[name=workplace][value=remote]").check()
    page.wait_for_url("**/jobs/?q=python&workplace=remote")
    assert page.locator(".result-card").count() == 1
    assert page.locator("#search-q").input_value() == "python"
    page.go_back()
    page.wait_for_url("**/jobs/?q=python")
    expect(page.locator(".result-card")).to_have_count(2)  # the page is asked again: wait for it


def test_a_misspelled_word_offers_did_you_mean(live_server, page):
    board()
    page.goto(f"{live_server.url}/jobs/?q=pyhton")
    page.get_by_role("link", name="python").first.click()
    page.wait_for_url("**/jobs/?q=python")
    assert page.locator(".result-card").count() == 2


def test_the_form_works_without_javascript(live_server, browser):
    board()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/jobs/")
    page.fill("#search-q", "engineer")
    page.locator("input[name=workplace][value=remote]").check()
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/jobs/?q=engineer**workplace=remote**")
    assert page.locator(".result-card").count() == 1
    context.close()


@pytest.mark.skipif(not SHOTS, reason="set SEARCH_SCREENSHOTS=dir to take screenshots")
@pytest.mark.parametrize("width", [1280, 360])
def test_screenshots(live_server, page, width):
    board()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/jobs/?q=python+or+engineer")
    page.screenshot(path=f"{SHOTS}/jobs-{width}.png", full_page=True)
    page.screenshot(path=f"{SHOTS}/jobs-{width}-top.png")
    page.goto(f"{live_server.url}/jobs/?q=pyhton")
    page.screenshot(path=f"{SHOTS}/jobs-empty-{width}.png", full_page=True)
