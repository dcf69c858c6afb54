"""The allauth pages in our words (issue 20) in Chromium: axe-core finds no serious or critical
violation at 390 and 1280 px, and none is wider than a phone. tests/accounts/test_wording.py
checks their words; this checks what the browser makes of them.

With JOBTRAIL_ACCOUNT_SCREENS=<folder>, each page is also photographed at 390 and 1280 px.
"""

import os
from pathlib import Path

import pytest

from tests.e2e.helpers import logged_in_page
from tests.e2e.test_pages import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = os.environ.get("JOBTRAIL_ACCOUNT_SCREENS", "")

SIGNED_OUT = [
    ("login", "/accounts/login/"),
    ("signup", "/accounts/signup/"),
    ("password-reset", "/accounts/password/reset/"),
    ("password-reset-done", "/accounts/password/reset/done/"),
    ("password-reset-bad-link", "/accounts/password/reset/key/1-not-a-key/"),
    ("verification-sent", "/accounts/confirm-email/"),
    ("confirm-bad-link", "/accounts/confirm-email/not-a-key/"),
    ("inactive", "/accounts/inactive/"),
]
SIGNED_IN = [
    ("email", "/accounts/email/"),
    ("password-change", "/accounts/password/change/"),
    ("logout", "/accounts/logout/"),
    ("reauthenticate", "/accounts/reauthenticate/"),
    ("two-factor", "/accounts/2fa/"),
]


def test_the_account_pages_are_accessible_and_fit_a_phone(live_server, browser):
    from tests.factories import UserFactory

    anonymous = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    member = logged_in_page(browser, live_server, UserFactory())
    problems: list[str] = []
    for page, pages in ((anonymous, SIGNED_OUT), (member, SIGNED_IN)):
        for name, path in pages:
            for width in (390, 1280):
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(f"{live_server.url}{path}")
                assert response is not None and response.status == 200, path
                if width == 390 and page.evaluate("document.documentElement.scrollWidth") > 390:
                    problems.append(f"{name} is wider than 390 px")
                problems += [f"{name} at {width} px: {v}" for v in _axe(page, live_server.url)]
                if SCREENS:
                    Path(SCREENS).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=f"{SCREENS}/{name}-{width}.png", full_page=True)
    assert not problems, "\n".join(problems)
