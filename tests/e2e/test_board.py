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

    # 2. Move "Site reliability engineer" with the keyboard: its ⋯ opens the board's one menu
    # (focus on the first stage), arrow keys walk it, Enter moves.
    menu_button = page.locator(f"#menu-{menued.pk}")
    menu_button.focus()
    page.keyboard.press("Enter")
    menu = page.locator(f"#card-{menued.pk} [role=menu]")
    expect(menu).to_be_visible()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("menuitem", name="Applied")).to_be_disabled()  # where it is now
    expect(menu.get_by_role("menuitem").first).to_be_focused()
    for _ in range(10):
        if page.evaluate("document.activeElement.textContent") == "Interview":
            break
        page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitem", name="Interview")).to_be_focused()
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


def test_escape_closes_the_card_menu_and_gives_focus_back(live_server, browser):
    user = UserFactory(email="menu@example.com")
    app = services.application_create_external(user=user, company_name="Acme", title="Analyst")
    page = logged_in_page(browser, live_server, user)
    page.goto(f"{live_server.url}/applications/")
    page.locator(f"#menu-{app.pk}").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#card-menu")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#card-menu")).to_be_hidden()
    expect(page.locator(f"#menu-{app.pk}")).to_be_focused()


def test_a_cards_details_open_in_the_side_panel(live_server, browser):
    user = UserFactory(email="panel@example.com")
    app = services.application_create_external(
        user=user, company_name="Northwind", title="Platform engineer"
    )
    services.note_add(application=app, body="Recruiter call went **well**.")
    page = logged_in_page(browser, live_server, user)
    page.goto(f"{live_server.url}/applications/")
    page.get_by_role("link", name="Platform engineer", exact=True).click()
    panel = page.locator("#side-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("#side-panel-title")).to_have_text("Platform engineer")
    expect(panel.locator("#notes").get_by_text("Recruiter call went")).to_be_visible()
    expect(panel.get_by_role("link", name="Open the full page")).to_have_attribute(
        "href", f"/applications/{app.pk}/"
    )
    assert page.url == f"{live_server.url}/applications/"  # still on the board
    shoot(page, "board-panel")
    panel.get_by_role("button", name="Close the details").click()
    expect(panel).to_be_hidden()
    expect(page.get_by_role("link", name="Platform engineer", exact=True)).to_be_focused()

    # The card menu's "Open details" does the same.
    page.locator(f"#menu-{app.pk}").click()
    page.get_by_role("menuitem", name="Open details").click()
    expect(panel.locator("#notes").get_by_text("Recruiter call went")).to_be_visible()


def test_phones_show_one_column_and_switch_with_counts(live_server, browser):
    user = UserFactory(email="phone@example.com")
    applied = services.stage_for_key(user=user, key="applied")
    interview = services.stage_for_key(user=user, key="interview")
    services.application_create_external(
        user=user, company_name="Acme", title="Analyst", stage=applied
    )
    for title in ("SRE", "Data engineer"):
        services.application_create_external(
            user=user, company_name="Contoso", title=title, stage=interview
        )
    page = logged_in_page(browser, live_server, user)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/applications/")
    switcher = page.get_by_role("navigation", name="Board columns")
    expect(switcher).to_be_visible()
    expect(switcher.get_by_role("link", name="Interview 2")).to_be_visible()
    expect(switcher.get_by_role("link", name="Applied 1")).to_be_visible()
    # The first column with cards is shown, the others are not.
    expect(column(page, "Applied")).to_be_visible()
    expect(column(page, "Interview")).to_be_hidden()
    expect(column(page, "Interested")).to_be_hidden()
    switcher.get_by_role("link", name="Interview 2").click()
    expect(column(page, "Interview")).to_be_visible()
    expect(column(page, "Applied")).to_be_hidden()
    assert page.url.endswith("?stage=interview")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the board overflows at 390 px: {width}"

    # Without JavaScript the switcher's links do the same with a page load.
    context = page.context.browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    context.add_cookies(page.context.cookies())
    nojs = context.new_page()
    nojs.goto(f"{live_server.url}/applications/")
    nojs.get_by_role("link", name="Interview 2").click()
    expect(column(nojs, "Interview")).to_be_visible()
    expect(column(nojs, "Applied")).to_be_hidden()
    # ⋯ is the card's move page; a move comes back to the card's new column.
    nojs.get_by_role("link", name="Move or open “SRE”").click()
    nojs.get_by_role("button", name="Offer").click()
    expect(nojs.get_by_text("Moved “SRE” to Offer.")).to_be_visible()
    expect(column(nojs, "Offer")).to_be_visible()
    expect(column(nojs, "Offer").locator("[data-card]")).to_have_count(1)
    context.close()


def test_at_1280_px_six_columns_fit_and_all_nine_are_reachable(live_server, browser):
    user = UserFactory(email="wide@example.com")
    services.application_create_external(user=user, company_name="Acme", title="Analyst")
    page = logged_in_page(browser, live_server, user)
    page.goto(f"{live_server.url}/applications/")
    visible = page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-column]')).filter(c => {
             const r = c.getBoundingClientRect();
             return r.left >= 0 && r.right <= window.innerWidth;
           }).length"""
    )
    assert visible >= 6, visible
    last = page.locator("[data-column]").last
    last.scroll_into_view_if_needed()
    expect(last).to_be_in_viewport()
