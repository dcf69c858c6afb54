"""XSS corpus (issue 10, point 3): hostile markup goes in through the real forms into every
rich or free text field; the pages that show it must carry no script, event handler or
javascript: URL of ours, and a real browser must open no dialog."""

import os
from html.parser import HTMLParser

import pytest
from django.test import Client

from jobs.models import CompanyMembership, Posting
from tests.factories import ApplicationFactory, CompanyFactory, PostingFactory, UserFactory

CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<a href="javascript:alert(3)">click</a>',
    "<svg onload=alert(4)>",
    "<svg><script>alert(5)</script></svg>",
    '<iframe src="javascript:alert(6)"></iframe>',
    '<iframe srcdoc="<script>alert(7)</script>"></iframe>',
    '<div style="background:url(javascript:alert(8));width:expression(alert(9))">x</div>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4=">d</a>',
    '<a href="&#106;avascript:alert(11)">e</a>',
    '<a href="JaVaScRiPt:alert(12)">f</a>',
    "<body onload=alert(13)>",
    '"><script>alert(14)</script>',
    "'><img src=x onerror=alert(15)>",
    "[md link](javascript:alert(16))",
    '![md img](x" onerror="alert(17))',
    "<details open ontoggle=alert(18)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(19)>",
    "%3Cscript%3Ealert(20)%3C/script%3E",
    "&lt;script&gt;alert(21)&lt;/script&gt;",
]
PAYLOAD = "\n\n".join(CORPUS)
SHORT = "<script>alert(22)</script><img src=x onerror=alert(23)>"  # fits 60-200 char fields

# The app's own inline handler (select the calendar feed URL on click).
OWN_HANDLERS = {("onclick", "this.select()")}


class _Audit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_script = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("iframe", "frame", "object", "embed", "base"):
            self.problems.append(f"<{tag}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            kind = dict(attrs).get("type") or ""
            if src and not src.startswith("/static/"):
                self.problems.append(f"script src={src}")
            self._in_script = "" if src else ("data" if kind.endswith("json") else "code")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and (name, value) not in OWN_HANDLERS:
                self.problems.append(f"<{tag} {name}={value!r}>")
            squashed = "".join(value.split()).lower()
            if name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and (
                squashed.startswith(("javascript:", "vbscript:", "data:text/html"))
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and ("expression(" in squashed or "javascript:" in squashed):
                self.problems.append(f"<{tag} style={value!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = ""

    def handle_data(self, data):
        # JSON data blocks (JSON-LD) must not carry a raw "<" that could close the element;
        # code blocks must not carry the corpus.
        if (self._in_script == "data" and "<" in data) or (
            self._in_script == "code" and "alert(" in data
        ):
            self.problems.append(f"inline script {data[:80]!r}")


def audit(html: str) -> list[str]:
    parser = _Audit()
    parser.feed(html)
    return parser.problems


def _ok(response, *, allowed=(302,)):
    """The form took the input (302), or for hostile URLs refused it with a form error (400)."""
    if response.status_code not in allowed:
        import re

        errors = re.findall(
            r"<ul class=\"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S
        )
        raise AssertionError((response.request["PATH_INFO"], response.status_code, errors))
    return response


def store_corpus() -> tuple[object, list[str]]:
    """Enter the corpus through the real forms; return the user and the pages that show it."""
    user = UserFactory()
    client = Client()
    client.force_login(user)

    _ok(client.post("/account/profile/", {
        "display_name": SHORT[:60], "headline": SHORT, "skills": "Python",
        "years_of_experience": "3", "preferred_locations": "Berlin", "timezone": "UTC",
    }))  # fmt: skip

    company = CompanyFactory(name="Acme")
    CompanyMembership.objects.create(company=company, user=user, role="owner")
    _ok(client.post(f"/employer/companies/{company.slug}/", {
        "name": "Acme <script>alert(24)</script>", "website": "javascript:alert(25)",
        "description": PAYLOAD,
    }), allowed=(302, 400))  # fmt: skip
    _ok(client.post(f"/employer/companies/{company.slug}/", {
        "name": "Acme <script>alert(24)</script>", "website": "", "description": PAYLOAD,
    }))  # fmt: skip
    posting = PostingFactory(company=company, status="draft", published_at=None)
    posting_data = {
        "title": SHORT, "team": SHORT, "employment_type": "full_time", "level": "",
        "workplace": "onsite", "locations": "Berlin, Germany", "description": PAYLOAD,
        "salary_min": "", "salary_max": "", "salary_currency": "EUR", "salary_period": "year",
        "how_to_apply": "javascript:alert(26)", "review_policy": posting.review_policy,
        "application_deadline": "",
    }  # fmt: skip
    _ok(client.post(f"/employer/postings/{posting.pk}/edit/", posting_data), allowed=(400,))
    posting_data["how_to_apply"] = "https://example.com/apply"
    preview = client.post(
        f"/employer/postings/{posting.pk}/edit/", {**posting_data, "action": "preview"}
    )
    _ok(client.post(f"/employer/postings/{posting.pk}/edit/", posting_data))
    posting.refresh_from_db()
    Posting.objects.filter(pk=posting.pk).update(
        status="published", published_at=posting.created_at
    )
    posting.refresh_from_db()

    application = ApplicationFactory(user=user)
    _ok(client.post(f"/applications/{application.pk}/edit/", {
        "company_name": SHORT, "title": SHORT, "url": "javascript:alert(27)",
        "location": SHORT, "source": SHORT[:50], "applied_at": "", "salary_expectation": SHORT,
        "next_action": SHORT, "resume_version": SHORT[:100], "cover_letter_version": SHORT[:100],
        "posting_text": PAYLOAD,
    }), allowed=(302, 400))  # fmt: skip
    _ok(client.post(f"/applications/{application.pk}/edit/", {
        "company_name": SHORT, "title": SHORT, "url": "", "location": SHORT,
        "source": SHORT[:50], "applied_at": "", "salary_expectation": SHORT,
        "next_action": SHORT, "resume_version": SHORT[:100], "cover_letter_version": SHORT[:100],
        "posting_text": PAYLOAD,
    }))  # fmt: skip
    _ok(client.post(f"/applications/{application.pk}/notes/", {"body": PAYLOAD}))
    _ok(client.post(f"/applications/{application.pk}/contacts/", {
        "name": SHORT, "role": SHORT, "email": "a@example.com", "notes": PAYLOAD,
    }))  # fmt: skip
    _ok(client.post(f"/applications/{application.pk}/interviews/", {
        "date": "2030-01-02", "start_time": "10:00", "end_time": "11:00", "timezone": "UTC",
        "kind": "video", "location": "javascript:alert(28)", "people": SHORT,
        "prep_notes": PAYLOAD,
    }), allowed=(302, 400))  # fmt: skip
    _ok(client.post("/saved/collections/", {"name": SHORT[:60]}))
    _ok(client.post("/saved-searches/new/", {
        "name": SHORT, "frequency": "daily", "querystring": "q=%3Cscript%3Ealert(29)%3C/script%3E",
    }))  # fmt: skip
    pages = [
        "/account/profile/",
        company.get_absolute_url(),
        f"/employer/companies/{company.slug}/",
        "/employer/",
        posting.get_absolute_url(),
        f"/employer/postings/{posting.pk}/edit/",
        "/jobs/?q=%3Cscript%3Ealert(30)%3C%2Fscript%3E",
        application.get_absolute_url(),
        "/applications/",
        "/applications/list/",
        "/saved/collections/",
        "/saved-searches/",
        "/dashboard/",
    ]
    return user, pages, preview


@pytest.mark.django_db
def test_no_script_handler_or_javascript_url_survives_in_rendered_pages():
    user, pages, preview = store_corpus()
    client = Client()
    client.force_login(user)
    assert preview.status_code == 200
    found = {"posting preview": audit(preview.content.decode())}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        found[url] = audit(response.content.decode())
    assert {url: p for url, p in found.items() if p} == {}
    # The corpus did reach the pages (as inert text), so the audit looked at something.
    for url in (pages[1], pages[4], pages[7]):
        assert "alert(" in client.get(url).content.decode(), url


def test_the_audit_flags_the_raw_corpus():
    problems = " ".join(audit(PAYLOAD))
    for needle in ("inline script", "onerror", "javascript:", "onload", "<iframe>", "srcdoc",
                   "expression(", "data:text/html", "ontoggle"):  # fmt: skip
        assert needle in problems, needle


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_dialog_opens_in_the_browser_on_pages_showing_the_corpus(browser, live_server):
    from tests.e2e.helpers import logged_in_page

    user, pages, _ = store_corpus()
    page = logged_in_page(browser, live_server, user)
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{page.url}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    for url in pages:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        page.wait_for_timeout(150)
        if os.environ.get("JOBTRAIL_SCREENSHOTS"):
            page.screenshot(
                path=f"{os.environ['JOBTRAIL_SCREENSHOTS']}/xss-{len(dialogs)}-"
                f"{url.strip('/').replace('/', '_')[:40] or 'home'}.png",
                full_page=True,
            )
    assert dialogs == []
    page.evaluate("() => alert('canary')")  # the listener itself works
    assert [d.split(": ", 1)[1] for d in dialogs] == ["canary"]
    page.context.close()
