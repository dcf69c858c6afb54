"""Extraction on pages in the shapes of the sites people clip from: one row of expected fields
per fixture page (tests/jobs/clip/fixtures/)."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from jobs.clip import chrome
from jobs.clip.extract import canonical_url, extract, salary_from_schema

FIXTURES = Path(__file__).parent / "fixtures"
CHROME_WORDS = [
    "Track This Job", "tracking list", "Save This Job", "AI-Powered", "Pro Tip", "exciting opportunity",
    "Easy Apply", "Show more", "Report this job", "People also viewed", "Set alert", "Similar Jobs",
    "Jobs you may like", "We use cookies", "Accept all", "Sign in", "Submit application",
]  # fmt: skip


def load(name: str):
    body = (FIXTURES / name).read_text()
    url = f"https://jobs.example.test/{name.split('.')[0]}?utm_source=feed"
    return extract(url=url, html=body) if name.endswith(".html") else extract(url=url, text=body)


EXPECTED = {
    "greenhouse.html": dict(
        title="Senior Backend Engineer", company="Northwind Analytics", locations=["Berlin, DE"],
        employment_type="Full-time", valid_through=datetime(2026, 12, 20, 23, 59, tzinfo=UTC),
        date_posted=date(2026, 11, 20), apply_url="https://boards.greenhouse.io/northwind/jobs/4012345",
        canonical_url="https://boards.greenhouse.io/northwind/jobs/4012345", source="json-ld",
        says="ingest billions of events",
    ),
    "lever.html": dict(
        title="Product Designer", company="Northwind Analytics",
        locations=["London, United Kingdom", "Lisbon, Portugal"], workplace="hybrid",
        employment_type="Full-time", valid_through=None,  # "not a date"
        apply_url="https://jobs.lever.co/northwind/7b1c/apply", source="json-ld", says="Figma",
    ),
    "ashby.html": dict(
        title="Staff Data Engineer", company="Fernwood", locations=["Remote (Canada)"],
        workplace="remote", salary="CAD 170,000–210,000 a year", source="json-ld",
        valid_through=datetime(2027, 1, 16, 4, 59, 59, tzinfo=UTC), says="Spark and Kafka",
    ),
    "workday.html": dict(
        title="Clinical Data Analyst", company="Harbor Health",
        locations=["Boston, MA, United States of America"], workplace="onsite",
        employment_type="Full-time, Part-time", valid_through=datetime(2026, 12, 31, tzinfo=UTC),
        source="json-ld", says="write SQL reports",
    ),
    "smartrecruiters.html": dict(
        title="Warehouse Operations Lead", company="Tidewater Logistics",
        locations=["Rotterdam, NL"], employment_type="Full-time", source="microdata",
        valid_through=datetime(2026, 12, 18, 23, 59, tzinfo=UTC), says="team of twelve",
    ),
    "linkedin.html": dict(
        title="Machine Learning Engineer", company="Northwind Analytics",
        locations=["Amsterdam, North Holland, NL"], employment_type="Full-time",
        canonical_url="https://www.linkedin.com/jobs/view/machine-learning-engineer-at-northwind-analytics-3901234567",
        valid_through=datetime(2026, 12, 26, 10, 12, tzinfo=UTC), source="json-ld", says="ranking models",
    ),
    "indeed.html": dict(  # broken JSON-LD: the page's own text
        title="Line Cook", company="Juniper Bistro", locations=["Portland, OR"],
        employment_type="Part-time", salary="$19 - $23 an hour", source="text", says="dinner service",
    ),
    "aggregator.html": dict(  # no JSON-LD, the aggregator's blocks above the posting
        title="Content Safety Machine Learning Intern", company="Brightline Labs",
        locations=["Seattle, WA"], salary="$45 - $55 per hour", source="text",
        says="build classifiers that detect harmful content",
    ),
    "aggregator_jsonld.html": dict(
        title="Content Safety Machine Learning Intern", company="Brightline Labs",
        locations=["Seattle, WA, US"], employment_type="Internship", salary="USD 45–55 an hour",
        valid_through=datetime(2027, 1, 31, 23, 59, tzinfo=UTC), source="json-ld",
        says="Trust and Safety team",
    ),
    "linkedin_copy.txt": dict(
        title="Machine Learning Engineer", company="Northwind Analytics",
        locations=["Amsterdam, Netherlands"], source="text", says="ranking models",
        canonical_url="https://jobs.example.test/linkedin_copy",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_page_gives_its_fields(name):
    expected = dict(EXPECTED[name])
    says = expected.pop("says")
    clip = load(name)
    for field, value in expected.items():
        assert getattr(clip, field) == value, f"{name}: {field}"
    assert says in clip.description_text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_page_chrome_reaches_the_description(name):
    clip = load(name)
    for word in CHROME_WORDS:
        assert word.lower() not in clip.description_text.lower(), f"{name}: {word!r}"
        assert word.lower() not in clip.description_html.lower(), f"{name}: {word!r}"


def test_every_fixture_page_is_in_the_table():
    assert {p.name for p in FIXTURES.iterdir()} == set(EXPECTED)


def test_html_escaped_descriptions_are_unescaped_and_sanitized():
    clip = load("greenhouse.html")
    assert "<h2>About the role</h2>" in clip.description_html
    assert "&lt;" not in clip.description_html


def test_a_description_cannot_carry_scripts():
    page = (
        '<script type="application/ld+json">{"@type":"JobPosting","title":"X","hiringOrganization":'
        '"Y","description":"<p onclick=\\"alert(1)\\">Hi</p><script>alert(2)</script>"}</script>'
    )
    clip = extract(html=f"<html><head>{page}</head><body></body></html>")
    assert "alert" not in clip.description_html


def test_a_schema_salary_takes_numbers_ranges_and_single_values():
    assert salary_from_schema({"currency": "EUR", "value": 50000})[0] == "EUR 50,000"
    text, data = salary_from_schema({"currency": "usd", "value": {"value": 30, "unitText": "HOUR"}})
    assert text == "USD 30 an hour" and data["min"] == data["max"] == 30
    assert salary_from_schema({"currency": "USD", "value": {"minValue": "n/a"}}) == ("", None)
    assert salary_from_schema(None) == ("", None)


def test_canonical_urls_drop_tracking_and_fragments():
    assert (
        canonical_url("HTTPS://Boards.Greenhouse.io/acme/jobs/1/?gh_src=x&utm_medium=y#apply")
        == "https://boards.greenhouse.io/acme/jobs/1"
    )
    assert canonical_url("https://www.indeed.com/viewjob?jk=abc&from=serp") == (
        "https://www.indeed.com/viewjob?jk=abc"
    )
    assert canonical_url("javascript:alert(1)") == ""


def test_garbage_gives_an_empty_clip_not_an_error():
    for html in ["", "<<<>>>", "\x00\x01", "<html><body></body></html>", "{" * 5000]:
        clip = extract(url="not a url", html=html)
        assert clip.missing() == ["title", "company"] or clip.title


def test_strip_text_drops_a_chrome_heading_with_its_block():
    text = (
        "Track This Job\nAdd this job to your tracking list to:\n- Monitor status\n\n"
        "AI-Powered Job Summary\nA perfect role for ambitious people.\n\n"
        "Pro Tip: Tailor your resume.\nWe build search software.\n"
    )
    assert chrome.strip_text(text) == "We build search software."
