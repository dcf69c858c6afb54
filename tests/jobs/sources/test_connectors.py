"""Connector details the served shapes do not reach: JSON Feed and Atom, a JSON-LD index page
with an @graph, a sitemap index, places without a country, and the endpoint rules."""

import json

import pytest

from jobs.sources.connectors import connector
from jobs.sources.http import Response
from jobs.sources.mapping import resolve_place


class Stub:
    """A Fetcher that answers from a dict of URL → body."""

    def __init__(self, pages: dict[str, str]) -> None:
        self.pages = pages

    def get(self, url, accept=""):
        return Response(url=url, status=200, body=self.pages[url].encode(), content_type="")


def test_a_json_feed_with_jobposting_extensions():
    body = json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Jobs",
        "items": [{"id": "a1", "url": "https://x.example/a1", "title": "Data Engineer",
                   "content_html": "<p>Pipelines</p>", "date_modified": "2026-11-02T10:00:00Z",
                   "_jobposting": {"@type": "JobPosting", "employmentType": "PART_TIME",
                                   "jobLocation": {"address": {"addressLocality": "Lyon",
                                                               "addressCountry": "FR"}}}}],
    })  # fmt: skip
    jobs = connector("feed").fetch(Stub({"https://x.example/f.json": body}),
                                   "https://x.example/f.json", known={})  # fmt: skip
    assert [(j.external_id, j.title, j.employment_type, j.locations) for j in jobs] == [
        ("a1", "Data Engineer", "part_time", ["Lyon, FR"])
    ]


def test_an_atom_feed():
    body = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
    <title>Jobs</title><id>urn:jobs</id><updated>2026-11-02T10:00:00Z</updated>
    <entry><title>Designer</title><id>urn:job:7</id><link href="https://x.example/7"/>
    <updated>2026-11-02T10:00:00Z</updated><content type="html">&lt;p&gt;Figma&lt;/p&gt;</content>
    </entry></feed>"""
    jobs = connector("feed").fetch(Stub({"https://x.example/atom": body}),
                                   "https://x.example/atom", known={})  # fmt: skip
    assert [(j.external_id, j.title, j.apply_url) for j in jobs] == [
        ("urn:job:7", "Designer", "https://x.example/7")
    ]
    assert "<p>Figma</p>" in jobs[0].description_html


def test_a_jsonld_index_page_with_a_graph_and_links_to_job_pages():
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "name": "Acme"},
        {"@type": "JobPosting", "title": "Nurse", "identifier": "n-1",
         "jobLocationType": "TELECOMMUTE", "description": "&lt;p&gt;Care&lt;/p&gt;"}]}  # fmt: skip
    index = '<html><body><a href="/jobs/1">Nurse</a><a href="/about">About</a></body></html>'
    page = f'<script type="application/ld+json">{json.dumps(graph)}</script><script type="application/ld+json">{{broken</script>'
    stub = Stub({"https://x.example/careers": index, "https://x.example/jobs/1": page})
    jobs = connector("jsonld").fetch(stub, "https://x.example/careers", known={})
    assert [(j.external_id, j.title, j.remote) for j in jobs] == [("n-1", "Nurse", True)]
    assert jobs[0].description_html == "<p>Care</p>"


def test_a_sitemap_index_is_followed():
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    stub = Stub({
        "https://x.example/sitemap.xml": f'<?xml version="1.0"?><sitemapindex {ns}><sitemap><loc>https://x.example/jobs.xml</loc></sitemap></sitemapindex>',
        "https://x.example/jobs.xml": f'<?xml version="1.0"?><urlset {ns}><url><loc>https://x.example/j/2</loc></url></urlset>',
        "https://x.example/j/2": '<script type="application/ld+json">{"@type": "JobPosting", "title": "Cook", "url": "https://x.example/j/2"}</script>',
    })  # fmt: skip
    jobs = connector("jsonld").fetch(stub, "https://x.example/sitemap.xml", known={})
    assert [(j.external_id, j.title) for j in jobs] == [("https://x.example/j/2", "Cook")]


@pytest.mark.parametrize(
    ("raw", "default", "place"),
    [
        ("Berlin, DE", "", ("Berlin", "", "DE")),
        ("Austin, TX", "", ("Austin", "TX", "US")),
        ("San Francisco, CA", "", ("San Francisco", "CA", "US")),
        ("Bengaluru, IN", "", ("Bengaluru", "", "IN")),
        ("Wilmington, DE", "US", ("Wilmington", "DE", "US")),
        ("Toronto, ON", "CA", ("Toronto", "ON", "CA")),
        ("Lyon, Auvergne-Rhône-Alpes, France", "", ("Lyon", "Auvergne-Rhône-Alpes", "FR")),
        ("Germany", "", ("", "", "DE")),
        ("Munich", "DE", ("Munich", "", "DE")),
        ("Munich", "", None),
        ("London, United Kingdom", "", ("London", "", "GB")),
    ],
)
def test_places(raw, default, place):
    assert resolve_place(raw, default) == place


@pytest.mark.parametrize(
    ("kind", "endpoint", "url"),
    [
        ("greenhouse", "acme", "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true"),
        ("lever", "acme", "https://api.lever.co/v0/postings/acme?mode=json"),
        (
            "ashby",
            "acme",
            "https://api.ashbyhq.com/posting-api/job-board/acme?includeCompensation=true",
        ),
        ("workable", "acme", "https://apply.workable.com/api/v1/widget/accounts/acme?details=true"),
        ("smartrecruiters", "acme", "https://api.smartrecruiters.com/v1/companies/acme/postings"),
        ("recruitee", "acme", "https://acme.recruitee.com/api/offers/"),
        ("personio", "acme", "https://acme.jobs.personio.de/xml?language=en"),
    ],
)
def test_a_board_token_gives_the_public_url(kind, endpoint, url):
    assert connector(kind).endpoint_url(endpoint) == url


@pytest.mark.parametrize("kind", ["jsonld", "feed"])
def test_page_and_feed_kinds_need_a_full_url(kind):
    with pytest.raises(ValueError, match="full https:// URL"):
        connector(kind).endpoint_url("acme")
