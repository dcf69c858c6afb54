"""The forms of the application page, the stage settings, the account data page and the
employer's company settings in Chromium at phone width: a form that fails comes back scrolled
to its own section, so the error is on screen rather than a long page below the top. A board
card moved with its stage menu (no drag) comes back on screen and next in the tab order.
"""

import pytest
from playwright.sync_api import Page, expect

from jobs.models import CompanyMembership
from tests.e2e.helpers import logged_in_page
from tests.factories import ApplicationFactory, CompanyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("summary", "fill", "button", "error"),
    [
        (
            "Add a contact",
            {"name": "Zed", "email": "not-an-email"},
            "Add contact",
            "Enter a valid email address.",
        ),
        (
            "Add an interview",
            {"date": "2030-12-10", "start_time": "15:00", "end_time": "14:00"},
            "Add interview",
            "The interview must end after it starts.",
        ),
    ],
)
def test_it_shows_the_error_of_a_failed_form_on_screen(
    live_server, browser, summary, fill, button, error
):
    user = UserFactory()
    application = ApplicationFactory(user=user, title="Data engineer", company_name="Fabrikam")
    page: Page = logged_in_page(browser, live_server, user)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.get_by_text(summary, exact=True).click()
    form = page.locator("details[open] form")
    for name, value in fill.items():
        form.locator(f"[name={name}]").fill(value)
    form.get_by_role("button", name=button).click()

    message = page.get_by_text(error)
    expect(message).to_be_visible()
    expect(message).to_be_in_viewport()
    # what was typed is still there
    for name, value in fill.items():
        expect(page.locator(f"details[open] form [name={name}]")).to_have_value(value)


def test_it_shows_the_error_of_a_failed_note_on_screen(live_server, browser):
    user = UserFactory()
    application = ApplicationFactory(user=user)
    page: Page = logged_in_page(browser, live_server, user)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("This field is required.")).to_be_in_viewport()


def test_it_shows_the_error_of_a_failed_stage_or_account_form_on_screen(live_server, browser):
    user = UserFactory()
    page: Page = logged_in_page(browser, live_server, user)
    page.set_viewport_size({"width": 375, "height": 812})

    page.goto(f"{live_server.url}/applications/settings/")
    add = page.locator("form[action^='/applications/stages/']").filter(
        has=page.get_by_role("button", name="Add stage")
    )
    add.locator("[name=name]").fill("Applied")
    add.get_by_role("button", name="Add stage").click()
    expect(page.get_by_text("You already have a stage called “Applied”.")).to_be_in_viewport()

    page.goto(f"{live_server.url}/account/data/")
    page.locator("#id_password").fill("wrong-password")
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your current password.")).to_be_in_viewport()


def test_it_shows_the_error_of_a_failed_company_member_or_group_form_on_screen(
    live_server, browser
):
    user = UserFactory()
    company = CompanyFactory(name="Lighthouse Maps", slug="lighthouse-maps")
    CompanyMembership.objects.create(company=company, user=user, role=CompanyMembership.Role.OWNER)
    page: Page = logged_in_page(browser, live_server, user)
    page.set_viewport_size({"width": 375, "height": 812})

    page.goto(f"{live_server.url}/employer/companies/lighthouse-maps/")
    # Issue 16 point 5: any well-formed address is invited alike (no account discovery), so
    # the failed member form is a malformed address.
    page.locator("[name=member-email]").fill("nobody-here@")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text("Enter a valid email address.")).to_be_in_viewport()
    expect(page.locator("[name=member-email]")).to_have_value("nobody-here@")

    page.get_by_role("button", name="Start a group").click()
    expect(page.locator("#group").get_by_text("This field is required.")).to_be_in_viewport()


def test_a_card_moved_with_its_menu_is_on_screen_and_next_in_the_tab_order(live_server, browser):
    user = UserFactory()
    for n in range(6):
        ApplicationFactory(user=user, title=f"Filler {n}", stage_key="applied")
    moved = ApplicationFactory(user=user, title="Site reliability engineer", stage_key="applied")
    page: Page = logged_in_page(browser, live_server, user)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/applications/")

    # The card's ⋯ opens the board's one stage menu; arrow keys walk it, Enter moves.
    page.locator(f"#menu-{moved.pk}").focus()
    page.keyboard.press("Enter")
    menu = page.locator(f"#card-{moved.pk} [role=menu]")
    expect(menu).to_be_visible()
    for _ in range(12):
        if page.evaluate("document.activeElement.textContent") == "Offer":
            break
        page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitem", name="Offer")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    card = page.locator(f"#card-{moved.pk}")
    expect(card).to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(card.get_by_role("link", name="Site reliability engineer", exact=True)).to_be_focused()
