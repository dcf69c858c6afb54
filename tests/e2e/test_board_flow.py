"""The board end to end in Chromium: an employer drafts (with a preview) and submits a posting,
staff approve it, a visitor finds it by a misspelled word, filters by remote and opens it; the
employer closes it and it leaves the results.

Screenshots of the employer form, the review queue and the posting page at 1280 and 360 px go to
$JOBTRAIL_SCREENSHOTS when it is set.
"""

import pytest
from playwright.sync_api import Page, expect

from jobs.board.search import refresh_search_terms
from jobs.models import Posting, PostingStatus
from tests.e2e.helpers import logged_in_page, shoot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_employer_drafts_staff_approve_visitor_finds_it_employer_closes_it(
    live_server, browser, page: Page
):
    url = live_server.url
    employer = UserFactory(email="hiring@lighthouse.example")
    staff = UserFactory(email="moderator@jobtrail.example", is_staff=True)

    # The employer creates the company, then drafts the posting with a preview.
    emp = logged_in_page(browser, live_server, employer)
    emp.goto(f"{url}/employer/")
    expect(emp.get_by_text("You are not a member of any company yet.")).to_be_visible()
    emp.get_by_role("link", name="Create a company").click()
    emp.get_by_label("Name").fill("Lighthouse Maps")
    emp.get_by_label("Website").fill("https://lighthouse.example")
    emp.get_by_label("Description").fill("We map the coasts of the world.")
    emp.get_by_role("button", name="Create company").click()
    emp.get_by_role("link", name="Company settings").click()
    emp.get_by_label("Group name").fill("Lighthouse Group")
    emp.get_by_role("button", name="Start a group").click()
    emp.get_by_label("Application limit").fill("2")
    emp.get_by_role("button", name="Save the rule").click()
    expect(emp.get_by_text("At most two applications across Lighthouse Group")).to_be_visible()
    shoot(emp, "employer-company")
    emp.goto(f"{url}/employer/")
    emp.get_by_role("link", name="Draft a posting").first.click()

    emp.get_by_label("Title").fill("Senior Cartographer")
    emp.get_by_label("Team").fill("Coastal Survey")
    emp.get_by_label("Employment type").select_option("full_time")
    emp.get_by_label("Level").select_option("senior")
    emp.get_by_label("Workplace").select_option("remote")
    emp.get_by_label("Locations").fill("Portugal\nSpain")
    emp.get_by_label("Description").fill(
        "## What you do\n\n- Draw nautical charts\n- Check survey data\n\n"
        "<script>alert('nope')</script>"
    )
    emp.get_by_label("Salary from").fill("90000")
    emp.get_by_label("Salary to").fill("60000")
    emp.get_by_label("Currency").fill("EUR")
    emp.get_by_label("How to apply").fill("jobs@lighthouse.example")
    emp.get_by_role("button", name="Preview").click()
    # Bad input: the message is on the field and the form keeps what was typed.
    expect(emp.locator("#id_salary_max_error")).to_contain_text("below the minimum")
    expect(emp.get_by_label("Title")).to_have_value("Senior Cartographer")
    emp.get_by_label("Salary from").fill("60000")
    emp.get_by_label("Salary to").fill("90000")
    emp.get_by_role("button", name="Preview").click()
    preview = emp.locator(".preview-frame")
    expect(preview.get_by_role("heading", name="Senior Cartographer")).to_be_visible()
    expect(preview).to_contain_text("EUR 60,000–90,000 per year")
    expect(preview.locator("li", has_text="Draw nautical charts")).to_be_visible()
    assert "alert('nope')" not in preview.inner_html()
    shoot(emp, "employer-posting-form")
    emp.get_by_role("button", name="Save and submit for review").click()
    expect(emp.get_by_text("Submitted for review.")).to_be_visible()
    shoot(emp, "employer-dashboard")
    posting = Posting.objects.get(title="Senior Cartographer")
    assert posting.status == PostingStatus.SUBMITTED

    # Not public yet.
    response = page.goto(f"{url}{posting.get_absolute_url()}")
    assert response.status == 404

    # Staff review it and approve.
    mod = logged_in_page(browser, live_server, staff)
    mod.goto(f"{url}/staff/review/")
    shoot(mod, "staff-review-queue")
    # A new company is reviewed before its postings (issue 16 point 3).
    mod.get_by_role("button", name="Approve Lighthouse Maps").click()
    expect(mod.get_by_text("“Lighthouse Maps” is approved")).to_be_visible()
    mod.get_by_role("link", name="Senior Cartographer").click()
    expect(mod.locator(".preview-frame")).to_contain_text("Draw nautical charts")
    shoot(mod, "staff-review-detail")
    mod.get_by_role("button", name="Approve and publish").click()
    expect(mod.get_by_text("is published; the employer is emailed")).to_be_visible()
    expect(mod.get_by_text("Nothing to review.")).to_be_visible()
    refresh_search_terms()  # the periodic "did you mean" word list

    # A visitor misspells the word, follows "did you mean", filters by remote, opens the posting.
    page.goto(f"{url}/jobs/?q=cartograher")
    page.locator(".did-you-mean a").click()
    page.wait_for_url("**/jobs/?q=cartographer")
    expect(page.locator(".result-card")).to_have_count(1)
    page.locator("input[name=workplace][value=remote]").check()
    page.wait_for_url("**workplace=remote**")
    expect(page.locator(".result-card")).to_have_count(1)
    # At 1280 px the card opens the posting beside the results (issue 20), then its own page.
    page.locator(".result-card").get_by_role("link", name="Senior Cartographer").click()
    page.locator("#detail-pane").get_by_role("link", name="Open the full page").click()
    page.wait_for_url(f"**{posting.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Senior Cartographer")
    expect(page.get_by_role("link", name="Apply by email")).to_have_attribute(
        "href", "mailto:jobs@lighthouse.example?subject=Senior%20Cartographer"
    )
    assert 'type="application/ld+json"' in page.content()
    expect(page.locator(".company-panel")).to_contain_text("At most two applications")
    shoot(page, "posting-page")

    # The employer closes it: it leaves the results, and its page says so.
    emp.goto(f"{url}/employer/")
    emp.get_by_role("button", name="Close").click()
    expect(emp.get_by_text("is closed and no longer listed")).to_be_visible()
    page.goto(f"{url}/jobs/?q=cartographer&workplace=remote")
    expect(page.locator(".result-card")).to_have_count(0)
    page.goto(f"{url}{posting.get_absolute_url()}")
    expect(page.get_by_text("This posting was closed by the employer")).to_be_visible()
    shoot(page, "posting-page-closed")
