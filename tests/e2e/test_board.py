"""The application board in Chromium: drag a card from Applied to Interview with the mouse,
move another with the keyboard and the stage menu, reload and find both where they were
dropped, then read both changes on the application's timeline in the user's timezone.

Screenshots of the board and the application page at 1280 and 360 px go to
$JOBTRAIL_SCREENSHOTS when it is set.
"""

import zoneinfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import logged_in_page, shoot
from tests.factories import UserFactory
from tracking.applications import services
from tracking.models import StageChange

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USER_TZ = "Asia/Kolkata"  # UTC+05:30: a local time that cannot be mistaken for UTC


def column(page: Page, name: str):
    return page.locator("[data-column]").filter(
        has=page.get_by_role("heading", name=name, exact=True)
    )


def drag(page: Page, source, target) -> None:
    """A real mouse drag with intermediate moves (SortableJS reacts to the moves)."""
    source.scroll_into_view_if_needed()
    box = source.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 5, box["y"] + 20, steps=5)
    target.scroll_into_view_if_needed()
    tbox = target.bounding_box()
    page.mouse.move(tbox["x"] + tbox["width"] / 2, tbox["y"] + 30, steps=20)
    page.mouse.move(tbox["x"] + tbox["width"] / 2, tbox["y"] + 32, steps=3)
    page.mouse.up()


def test_drag_and_menu_moves_persist_and_show_on_the_timeline(live_server, browser):
    user = UserFactory(email="seeker@example.com")
    user.profile.timezone = USER_TZ
    user.profile.display_name = "Sam Seeker"
    user.profile.save()
    applied = services.stage_for_key(user=user, key="applied")
    dragged = services.application_create_external(
        user=user, company_name="Northwind", title="Platform engineer", stage=applied
    )
    menued = services.application_create_external(
        user=user, company_name="Contoso", title="Site reliability engineer", stage=applied
    )
    services.application_create_external(user=user, company_name="Fabrikam", title="Data engineer")
    services.note_add(application=dragged, body="Recruiter call went **well**.")

    page = logged_in_page(browser, live_server, user)
    page.goto(f"{live_server.url}/applications/")
    expect(column(page, "Applied").locator("[data-card]")).to_have_count(2)
    shoot(page, "board")

    # 1. Drag "Platform engineer" from Applied to Interview with the mouse.
    card = page.locator(f"#card-{dragged.pk}")
    drag(
        page,
        card.locator(".board-card-company"),
        column(page, "Interview").locator("[data-board-column]"),
    )
    expect(page.locator("#board-status")).to_contain_text("Moved “Platform engineer” to Interview.")
    expect(column(page, "Interview").locator(f"#card-{dragged.pk}")).to_be_visible()

    # 2. Move "Site reliability engineer" with the keyboard: its stage menu and Move button.
    select = page.locator(f"#move-{menued.pk}")
    select.focus()
    select.select_option(label="Interview")
    page.keyboard.press("Tab")
    expect(page.locator(f"#card-{menued.pk} button")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Moved “Site reliability engineer” to Interview.")).to_be_visible()

    # 3. After a reload both are where they were dropped.
    page.reload()
    interview_cards = column(page, "Interview").locator("[data-card]")
    expect(interview_cards).to_have_count(2)
    expect(column(page, "Applied").locator("[data-card]")).to_have_count(0)
    expect(column(page, "Interview").locator(f"#card-{dragged.pk}")).to_be_visible()
    expect(column(page, "Interview").locator(f"#card-{menued.pk}")).to_be_visible()
    shoot(page, "board-after")

    # 4. The timelines show both changes with times in the user's timezone.
    tz = zoneinfo.ZoneInfo(USER_TZ)
    for app in (dragged, menued):
        change = StageChange.objects.get(application=app, from_stage=applied)
        local = change.changed_at.astimezone(tz)
        page.goto(f"{live_server.url}/applications/{app.pk}/")
        item = page.locator(".timeline-item").filter(has_text="Moved from Applied to Interview")
        expect(item).to_have_count(1)
        expect(item.locator("time")).to_have_text(local.strftime("%a %-d %b %Y, %H:%M"))
        expect(page.get_by_text(f"Times in {USER_TZ}")).to_be_visible()
    page.goto(f"{live_server.url}/applications/{dragged.pk}/")
    shoot(page, "application")
