"""A new user's first steps in a real browser: sign up, confirm the email, log in, turn on
two-factor authentication, log out, log back in with a code from the authenticator app.

Set JOBTRAIL_SCREENSHOTS=/some/dir to keep screenshots of the pages at 1280 and 360 px wide.
"""

import re
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import Profile, User
from tests.e2e.helpers import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "river@example.com"
PASSWORD = "blue river stones 4471"


def totp_now(secret: str) -> str:
    """The code an authenticator app shows now (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits)."""
    if time.time() % 30 > 27:  # about to change: a person would wait for the next code too
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_sign_up_confirm_turn_on_mfa_and_log_in_with_a_code(page: Page, live_server):
    url = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # Sign up; the first try has a weak password and comes back with the message on the field.
    page.goto(f"{url}/accounts/signup/")
    shoot(page, "signup")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill("password")
    page.get_by_label("Password again").fill("password")
    page.get_by_label("Display name").fill("River")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#id_password1_error")).to_contain_text("too common")
    expect(page.get_by_label("Email")).to_have_value(EMAIL)
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("aria-invalid", "true")
    shoot(page, "signup-errors")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    # Read the verification email and confirm.
    (message,) = mail.outbox
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    assert "Confirm my email address" in message.alternatives[0][0]
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".account-menu summary")).to_contain_text("River")

    # Log out and log in with the password.
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.locator(".account-menu").get_by_role("link", name="Log in")).to_be_visible()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.locator(".account-menu summary")).to_contain_text("River")

    # The profile: tags with the keyboard, timezone, email preferences.
    page.goto(f"{url}/account/profile/")
    skills = page.get_by_role("textbox", name="Skills")
    skills.fill("Python")
    skills.press("Enter")
    skills.fill("SQL, python")
    skills.press("Enter")
    expect(page.locator(".tag-input .tag")).to_have_count(2)
    page.get_by_role("button", name="Remove SQL").click()
    skills.fill("Go")
    page.get_by_label("Timezone").select_option("Asia/Tokyo")
    page.get_by_label("An application has gone quiet").check()
    expect(page.get_by_text("Your profile is saved.")).to_have_count(0)  # Enter did not submit
    shoot(page, "profile")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    profile = Profile.objects.get(user__email=EMAIL)
    assert profile.skills == ["Python", "Go"]
    assert profile.timezone == "Asia/Tokyo"
    assert profile.wants_email("stale_application")

    # Two-factor: the password again, then the secret shown on the page.
    page.goto(f"{url}/accounts/2fa/")
    shoot(page, "mfa-index")
    page.get_by_role("link", name="Turn on").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Turn on").click()
    expect(page.locator("#id_code_error")).to_contain_text("That code is not right")
    secret = page.locator("#authenticator_secret").input_value()
    shoot(page, "mfa-activate")
    code = totp_now(secret)
    page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Turn on").click()
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10
    shoot(page, "mfa-recovery-codes")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download codes").click()
    saved = Path(download_info.value.path()).read_text()
    assert all(code in saved for code in codes)
    user = User.objects.get(email=EMAIL)
    assert set(user.authenticator_set.values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }

    # Log out; logging in again asks for a code.
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    shoot(page, "mfa-authenticate")
    code = totp_now(secret)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.locator(".account-menu summary")).to_contain_text("River")
