"""Back and forward through htmx searches and filters in Chromium (/jobs/, the application list,
saved jobs): the fields show the search whose results are on screen (htmx's cached snapshot came
back with an empty box above "2 jobs for “python”"), and Back from another page shows the whole
page, not the results fragment the browser had cached for the same address."""

import re

import pytest
from playwright.sync_api import expect

from tests.jobs.board.test_search_browser import board

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


def test_going_back_on_the_application_list_and_saved_jobs_shows_their_filters(
    live_server, browser
):
    from tests.e2e.helpers import logged_in_page
    from tests.factories import ApplicationFactory, PostingFactory, UserFactory
    from tracking.saved import services as saved

    user = UserFactory()
    ApplicationFactory(user=user, title="Zeta engineer", company_name="Zeta")
    ApplicationFactory(user=user, title="Alpha analyst", company_name="Alpha", stage_key="applied")
    for title in ("Older", "Newer"):
        saved.saved_job_save(user=user, posting=PostingFactory(title=title))
    page = logged_in_page(browser, live_server, user)

    page.goto(f"{live_server.url}/applications/list/")
    page.locator("#id_q").fill("zeta")
    page.wait_for_url("**/applications/list/?q=zeta*")
    page.locator("#id_stage").select_option(label="Applied")
    page.wait_for_url(re.compile(r"stage=\d"))
    page.go_back()
    page.wait_for_url(re.compile(r"/applications/list/\?q=zeta(&stage=)?(&|$)"))
    expect(page.get_by_role("link", name="Zeta engineer")).to_be_visible()
    expect(page.locator("#id_q")).to_have_value("zeta")
    expect(page.locator("#id_stage")).to_have_value("")
    expect(page.locator("h1")).to_have_count(1)  # the whole page, not only its results

    page.goto(f"{live_server.url}/saved/")
    sort = page.locator("main select").first
    values = sort.locator("option").evaluate_all("options => options.map(o => o.value)")
    sort.select_option(values[1])
    page.wait_for_url("**/saved/?*")
    page.goto(f"{live_server.url}/jobs/")
    page.go_back()
    page.wait_for_url("**/saved/?*")
    expect(sort).to_have_value(values[1])
