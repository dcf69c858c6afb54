"""An employer uploads a logo on the company settings form in Chromium; the search's cards show
it (128 × 128 WebP) instead of the monogram."""

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from jobs.board.search import refresh_search_vectors
from jobs.employer import services
from tests.e2e.helpers import logged_in_page
from tests.factories import PostingFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("JOBTRAIL_SCREENSHOTS", "")


def test_an_uploaded_logo_replaces_the_monogram_on_the_cards(live_server, browser, tmp_path):
    user = UserFactory()
    company = services.company_create(name="Lighthouse Maps", by=user)
    refresh_search_vectors([PostingFactory(company=company, title="Cartographer").pk])
    path = tmp_path / "logo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (300, 120), (20, 90, 160)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())

    page = logged_in_page(browser, live_server, user)
    page.goto(f"{live_server.url}/jobs/")
    expect(page.locator(".result-card .company-monogram")).to_have_text("LM")

    page.goto(f"{live_server.url}/employer/companies/{company.slug}/")
    page.locator("input[name=logo]").set_input_files(str(path))
    page.get_by_role("button", name="Save company").click()
    expect(page.get_by_text("The company page is saved.")).to_be_visible()

    page.goto(f"{live_server.url}/jobs/")
    logo = page.locator(".result-card img.company-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 128
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{SHOTS}/search-logo-390.png", full_page=True)
        page.goto(f"{live_server.url}/employer/companies/{company.slug}/")
        page.screenshot(path=f"{SHOTS}/company-settings-logo-390.png", full_page=True)
