"""What the browser tests share: a signed-in page and optional screenshots at two widths."""

import os
from pathlib import Path

from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page

SCREENSHOTS = os.environ.get("JOBTRAIL_SCREENSHOTS", "")


def shoot(page: Page, name: str, *, settle_ms: int = 0) -> None:
    """Screenshots at 1280 and 360 px into $JOBTRAIL_SCREENSHOTS (nothing when it is unset)."""
    if not SCREENSHOTS:
        return
    Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        if settle_ms:
            page.wait_for_timeout(settle_ms)
        page.screenshot(path=f"{SCREENSHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def logged_in_page(browser: Browser, live_server, user) -> Page:
    """A page whose browser context carries a session of `user` (no login form to drive)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()
