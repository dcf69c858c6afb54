"""The dashboard in Chromium: the charts are drawn from /dashboard/data.json (canvases with
pixels on them), switching the date range swaps in new numbers and redraws the charts, and a
reminder is marked done in place.

Screenshots at 1280 and 360 px go to $JOBTRAIL_SCREENSHOTS when it is set.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.helpers import logged_in_page, shoot
from tests.factories import ReminderFactory, UserFactory
from tests.tracking.dashboard.test_dashboard import journey, known_journeys

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


PAINTED = """canvas => {
  const {width, height} = canvas;
  if (!width || !height) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
}"""


def painted(page: Page, chart: str) -> int:
    canvas = page.locator(f'[data-chart="{chart}"] canvas')
    expect(canvas).to_be_visible()
    return canvas.evaluate(PAINTED)


def test_charts_are_drawn_and_the_date_range_changes_the_numbers(browser, live_server):
    user = UserFactory()
    known_journeys(user, start=timezone.now() - timedelta(days=200))
    recent = timezone.now() - timedelta(days=5)
    journey(user, [("applied", 0), ("screening", 2)], start=recent, title="Fresh")
    journey(user, [("applied", 0)], start=recent, title="Fresher")
    app = journey(user, [("applied", 0)], start=recent, title="Follow me up")
    reminder = ReminderFactory(
        application=app, due_at=timezone.now() - timedelta(hours=2), message="Chase Ana"
    )
    page = logged_in_page(browser, live_server, user)
    page.goto(f"{live_server.url}/dashboard/")

    expect(page.locator('[data-number="applied"]')).to_have_text("43")
    for chart in ("funnel", "weeks", "flows"):
        assert painted(page, chart) > 500, chart
    # once drawn, the tables fold away under the charts (still there, in a <details>)
    expect(page.locator('[data-chart="funnel"] + details')).not_to_have_attribute("open", "")
    shoot(page, "dashboard", settle_ms=300)

    page.locator("#id_range").select_option("30d")
    expect(page.locator('[data-number="applied"]')).to_have_text("3")
    expect(page.locator('tr[data-funnel="screening"] td').first).to_have_text("1")
    assert "range=30d" in page.url
    assert painted(page, "funnel") > 500
    assert painted(page, "weeks") > 500

    today = page.locator("#today")
    expect(today.get_by_text("Chase Ana")).to_be_visible()
    today.locator(f"#reminder-{reminder.pk}").get_by_role("button", name="Done").click()
    expect(today.get_by_text("Done: follow-up on “Follow me up”.")).to_be_visible()
    expect(page.locator(f"#reminder-{reminder.pk}")).to_have_count(0)
    shoot(page, "dashboard-30d", settle_ms=300)


def test_a_new_user_sees_the_first_steps(browser, live_server):
    page = logged_in_page(browser, live_server, UserFactory())
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", name="Start your journey in three steps")).to_be_visible()
    expect(page.get_by_role("link", name="Search jobs")).to_have_attribute("href", "/jobs/")
    shoot(page, "dashboard-empty", settle_ms=300)
