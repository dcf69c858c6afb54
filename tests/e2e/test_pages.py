"""The 12 main pages in Chromium, on the demo data: axe-core finds no serious or critical
violation, and no page is wider than a 390 px phone.

`make screens` runs this module with JOBTRAIL_SCREENS=docs/screens: each page is then also
photographed at 390, 768 and 1280 px (full page) into that folder.

axe-core is vendored (static/vendor/axe-4.14.1.min.js, see static/vendor/README.md) and
injected here only, with Playwright's add_script_tag: no page of the site loads it.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.e2e.helpers import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-4.14.1.min.js"
SCREENS = os.environ.get("JOBTRAIL_SCREENS", "")
WIDTHS = (390, 768, 1280)


def main_pages() -> list[tuple[str, str, str]]:
    """(name, who, path) of the 12 pages a visitor, a job seeker, an employer and staff use
    most. Read after the demo seed."""
    from jobs.demo import SEED_TITLE
    from jobs.models import Company, Posting
    from tracking.models import SavedJob

    posting = Posting.objects.published().filter(title=SEED_TITLE).first()
    posting = posting or Posting.objects.published().order_by("pk").first()
    company = Company.objects.get(slug="parallax-video")
    saved = list(SavedJob.objects.order_by("pk").values_list("pk", flat=True)[:2])
    compare = "/saved/compare/?ids=" + ",".join(str(i) for i in saved)
    return [
        ("home", "anonymous", "/"),
        ("search", "anonymous", "/jobs/?q=engineer"),
        ("posting", "seeker", posting.get_absolute_url()),
        ("company", "anonymous", company.get_absolute_url()),
        ("signup", "anonymous", "/accounts/signup/"),
        ("dashboard", "seeker", "/dashboard/"),
        ("board", "seeker", "/applications/"),
        ("saved", "seeker", "/saved/"),
        ("compare", "seeker", compare),
        ("profile", "seeker", "/account/profile/"),
        ("employer", "employer", "/employer/"),
        ("review", "staff", "/staff/review/"),
    ]


def _axe(page, base: str) -> list[str]:
    # By URL from our own static files: the CSP (script-src 'self') blocks an inline copy.
    page.add_script_tag(url=f"{base}/static/vendor/{AXE.name}")
    found = page.evaluate(
        """async () => {
          const r = await axe.run(document, {resultTypes: ['violations']});
          return r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
                 + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }"""
    )
    return list(found)


def test_the_main_pages_are_accessible_and_fit_a_phone(live_server, browser):
    from accounts.demo import ADMIN_EMAIL, DEMO_EMAIL, EMPLOYER_EMAIL, seed_demo_data
    from accounts.models import User

    seed_demo_data()
    users = {
        "seeker": User.objects.get(email=DEMO_EMAIL),
        "employer": User.objects.get(email=EMPLOYER_EMAIL),
        "staff": User.objects.get(email=ADMIN_EMAIL),
    }
    pages = {}
    problems: list[str] = []
    for name, who, path in main_pages():
        if who not in pages:
            if who == "anonymous":
                pages[who] = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            else:
                pages[who] = logged_in_page(browser, live_server, users[who])
        page = pages[who]
        page.set_viewport_size({"width": 390, "height": 844})
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, f"{name}: {path}"
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            problems.append(f"{name} ({path}) is {width} px wide at 390 px")
        problems += [f"{name} at 390 px: {v}" for v in _axe(page, live_server.url)]
        page.set_viewport_size({"width": 1280, "height": 900})
        page.reload()
        problems += [f"{name} at 1280 px: {v}" for v in _axe(page, live_server.url)]
        if SCREENS:
            Path(SCREENS).mkdir(parents=True, exist_ok=True)
            for w in WIDTHS:
                page.set_viewport_size({"width": w, "height": 900})
                page.reload()
                page.screenshot(path=f"{SCREENS}/{name}-{w}.png", full_page=True)
    assert not problems, "\n".join(problems)
