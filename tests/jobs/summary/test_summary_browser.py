"""The highlighting script: "Show" marks the sentence an item was drawn from."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from jobs.summary.samples import INTERNSHIP_HTML, INTERNSHIP_TITLE
from jobs.summary.services import posting_summary_refresh
from jobs.summary.web import summary_context
from tests.factories import PostingFactory

STATIC = Path(settings.BASE_DIR) / "static"


def page_html(posting) -> str:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    panel = summary_context(posting=posting, user=request.user)  # what the view computes
    summary = Template("{% load job_summary %}{% posting_summary panel %}").render(
        Context({"panel": panel, "request": request})
    )
    summary = summary.split("<script")[0]
    css = (STATIC / "css" / "jobtrail.css").read_text()
    js = (STATIC / "js" / "summary.js").read_text()
    return (
        f"<!doctype html><html><head><meta name=viewport content='width=device-width'><style>{css}</style></head>"
        f"<body><main class=container>{summary}"
        f"<section class='posting-description prose'><h2>About the job</h2>{posting.description}</section>"
        f"</main><script>{js}</script></body></html>"
    )


@pytest.mark.browser
@pytest.mark.django_db
def test_show_highlights_the_source_sentence(page, tmp_path):
    posting = PostingFactory(title=INTERNSHIP_TITLE, description=INTERNSHIP_HTML)
    posting_summary_refresh(posting=posting)
    page.set_viewport_size({"width": 360, "height": 800})
    page.set_content(page_html(posting))
    required = page.locator(".job-summary li", has_text="deep learning framework")
    required.get_by_role("button", name="Show in the posting").click()
    mark = page.locator(".posting-description .summary-highlight")
    assert mark.count() == 1
    assert "deep learning framework such as PyTorch" in mark.inner_text()
    # A fact: the application limit cites its sentence in "How to apply".
    page.locator(".summary-facts div", has_text="Application limit").get_by_role("button").click()
    mark = page.locator(".posting-description .summary-highlight")
    assert mark.count() == 1
    assert "at most two" in mark.inner_text()
    page.screenshot(path=str(tmp_path / "summary_360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
