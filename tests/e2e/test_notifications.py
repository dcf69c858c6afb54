"""Browser: the header bell fills its unread count over htmx, the list marks read, and the
saved-searches page; screenshots at 1280 and 360 px when JOBTRAIL_SCREENSHOTS is set."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import logged_in_page, shoot
from tests.factories import UserFactory
from tracking.alerts import services as notifications
from tracking.models import EmailStatus, Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bell_list_and_saved_searches(browser, live_server):
    user = UserFactory()
    subjects = [
        "Follow up: Backend developer at Acme",
        "Senior Python Engineer closes in 3 days",
        "Interview tomorrow: Data engineer at Globex",
    ]
    for i, subject in enumerate(subjects):
        Notification.objects.create(
            user=user, kind="reminder_due", dedupe_key=f"e2e:{i}", subject=subject,
            url="/applications/", email_status=EmailStatus.SENT,
        )  # fmt: skip
    notifications.saved_search_create(
        user=user,
        name="Python in Berlin",
        querystring="q=python&location=Berlin",
        frequency="daily",
    )
    notifications.saved_search_create(
        user=user, name="Remote Django", querystring="q=django&workplace=remote", frequency="weekly"
    )
    page = logged_in_page(browser, live_server, user)
    page.goto(f"{live_server.url}/notifications/")
    bell = page.locator("#notification-bell")
    bell.locator(".bell-count").wait_for()
    assert bell.get_attribute("aria-label") == "Notifications, 3 unread"
    shoot(page, "notifications-list")
    page.get_by_role("button", name="Mark all 3 as read").click()
    page.get_by_text("Marked 3 notifications as read.").wait_for()
    assert page.locator("#notification-bell .bell-count").count() == 0
    page.goto(f"{live_server.url}/saved-searches/")
    page.get_by_role("heading", name="Python in Berlin").wait_for()
    shoot(page, "saved-searches")
    page.goto(f"{live_server.url}/jobs/?q=python")
    page.get_by_role("link", name="Save this search").click()
    page.get_by_label("Name").fill("Python anywhere")
    page.get_by_role("button", name="Save search").click()
    page.get_by_role("heading", name="Python anywhere").wait_for()
