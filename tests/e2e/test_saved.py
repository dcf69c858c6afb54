"""Saved jobs in Chromium: save three postings from the search results (htmx, one click each),
put two in a collection, compare them side by side, remove one with undo, and see the
expiring-soon badge on the posting that expires in 3 days.

Screenshots of /saved/ and compare at 1280 and 360 px go to $JOBTRAIL_SCREENSHOTS when it
is set.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jobs.board.search import refresh_search_vectors
from tests.e2e.helpers import logged_in_page, shoot
from tests.factories import CompanyFactory, PostingFactory, UserFactory
from tracking.models import SavedJob
from tracking.saved import services as saved

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_save_collect_compare_remove_with_undo(browser, live_server):
    user = UserFactory()
    now = timezone.now()
    postings = [
        PostingFactory(
            title="Python Backend Engineer",
            company=CompanyFactory(name="Initech"),
            salary_min=70_000, salary_max=80_000, salary_currency="EUR",
            expires_at=now + dt.timedelta(days=3),
            application_deadline=(now + dt.timedelta(days=3)).date(),
        ),
        PostingFactory(
            title="Python Data Engineer",
            company=CompanyFactory(name="Globex"),
            salary_min=5_000, salary_max=6_000, salary_currency="EUR", salary_period="month",
            workplace="remote", expires_at=now + dt.timedelta(days=40),
        ),
        PostingFactory(
            title="Python Platform Engineer", company=CompanyFactory(name="Hooli"),
            expires_at=now + dt.timedelta(days=20),
        ),
    ]  # fmt: skip
    refresh_search_vectors([p.pk for p in postings])
    saved.collection_create(user=user, name="Shortlist")

    page = logged_in_page(browser, live_server, user)
    page.goto(f"{live_server.url}/jobs/?q=python")
    for posting in postings:
        card = page.locator("li.result-card").filter(has_text=posting.title)
        card.get_by_role("button", name=f"Save {posting.title}").click()
        expect(card.get_by_role("button", name=f"Saved {posting.title}")).to_have_attribute(
            "aria-pressed", "true"
        )
    assert SavedJob.objects.filter(user=user).count() == 3
    assert page.url.endswith("/jobs/?q=python")  # htmx: no page change

    # Two in a collection, with the bulk bar.
    page.goto(f"{live_server.url}/saved/")
    expect(page.get_by_text("Expires in 3 days")).to_be_visible()
    page.get_by_label("Select Python Backend Engineer at Initech").check()
    page.get_by_label("Select Python Data Engineer at Globex").check()
    page.get_by_label("With the ticked jobs", exact=True).select_option("move")
    page.get_by_label("Collection", exact=True).last.select_option(label="Shortlist")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.get_by_text("Added 2 jobs to “Shortlist”.")).to_be_visible()
    page.get_by_label("Collection", exact=True).first.select_option(label="Shortlist")
    expect(page.get_by_role("status").filter(has_text="2 of 3 saved jobs")).to_be_visible()
    shoot(page, "saved-collection")

    # Compare the two of the collection.
    page.goto(f"{live_server.url}/saved/?collection={user.collections.get().pk}")
    page.get_by_label("Select Python Backend Engineer at Initech").check()
    page.get_by_label("Select Python Data Engineer at Globex").check()
    page.get_by_role("button", name="Compare ticked (2–4)").click()
    expect(page.get_by_role("heading", name="Compare saved jobs")).to_be_visible()
    table = page.locator("table.compare-table")
    expect(table.get_by_role("link", name="Python Backend Engineer")).to_be_visible()
    expect(table.get_by_text("EUR 60,000–72,000 a year")).to_be_visible()
    expect(page.locator("tr.compare-row-workplace").get_by_text("Differs")).to_be_visible()
    shoot(page, "saved-compare")
    # On a phone the table scrolls sideways and the row headings stay.
    page.set_viewport_size({"width": 360, "height": 800})
    wrap = page.locator(".compare-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")
    heading = page.locator("tr.compare-row-salary th")
    x_before = heading.bounding_box()["x"]
    wrap.evaluate("el => el.scrollLeft = 300")
    assert abs(heading.bounding_box()["x"] - x_before) < 1
    page.set_viewport_size({"width": 1280, "height": 900})

    # Remove one with undo.
    page.goto(f"{live_server.url}/saved/")
    page.get_by_role("button", name="Remove Python Platform Engineer").click()
    expect(
        page.get_by_text("Removed “Python Platform Engineer” from your saved jobs.")
    ).to_be_visible()
    assert SavedJob.objects.filter(user=user).count() == 2
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("link", name="Python Platform Engineer")).to_be_visible()
    assert SavedJob.objects.filter(user=user).count() == 3

    # The expiring-soon filter keeps the one that expires in 3 days.
    page.get_by_label("Expiring within 7 days").check()
    expect(page.get_by_role("status").filter(has_text="1 of 3 saved jobs")).to_be_visible()
    expect(page.locator(".saved-card").get_by_text("Expires in 3 days")).to_be_visible()
    page.get_by_label("Expiring within 7 days").uncheck()
    expect(
        page.get_by_role("status").filter(has_text=re.compile(r"^\s*3 saved jobs"))
    ).to_be_visible()
    expect(page.locator(".saved-card")).to_have_count(3)
    shoot(page, "saved")
    page.goto(f"{live_server.url}/jobs/?q=python")
    shoot(page, "saved-search-results")
    # Unsave from the results asks nothing and offers Undo in place.
    card = page.locator("li.result-card").filter(has_text="Python Data Engineer")
    card.get_by_role("button", name="Saved Python Data Engineer").click()
    expect(card.get_by_text("Removed from saved jobs.")).to_be_visible()
    assert SavedJob.objects.filter(user=user).count() == 2
    card.get_by_role("button", name="Undo").click()
    expect(card.get_by_role("button", name="Saved Python Data Engineer")).to_be_visible()
    assert SavedJob.objects.filter(user=user).count() == 3
    page.goto(f"{live_server.url}{postings[0].get_absolute_url()}")
    shoot(page, "saved-posting")
