import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CompanyFactory, PostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"


NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locs(content: bytes) -> list[str]:
    return [
        el.text
        for el in ET.fromstring(content).findall(".//s:loc", NS)  # noqa: S314 - our own response
    ]


def test_sitemap_index_lists_the_sections(client):
    PostingFactory()

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert locs(response.content) == [
        "http://testserver/sitemap-postings.xml",
        "http://testserver/sitemap-companies.xml",
    ]


def test_postings_sitemap_holds_published_postings_only(client):
    published = PostingFactory()
    draft = PostingFactory(status="draft")
    closed = PostingFactory(status="closed")

    response = client.get("/sitemap-postings.xml")

    assert response.status_code == 200
    urls = locs(response.content)
    assert urls == ["http://testserver" + published.get_absolute_url()]
    assert all(str(p.pk) not in u.rsplit("/", 2)[-2] for p in (draft, closed) for u in urls)
    assert b"<lastmod>" in response.content


def test_companies_sitemap_holds_companies_with_published_postings(client):
    hiring = CompanyFactory()
    PostingFactory(company=hiring)
    PostingFactory(company=hiring)
    quiet = CompanyFactory()
    PostingFactory(company=quiet, status="draft")

    response = client.get("/sitemap-companies.xml")

    assert locs(response.content) == ["http://testserver" + hiring.get_absolute_url()]


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /account/" in text
    assert "Disallow: /jobs/" not in text


def test_sitemap_index_takes_the_latest_change_from_one_aggregate(client):
    for _ in range(3):
        PostingFactory()

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sitemap.xml")

    assert b"<lastmod>" in response.content
    sqls = [q["sql"] for q in queries]
    assert any(sql.startswith('SELECT MAX("jobs_posting"."updated_at")') for sql in sqls)
    assert not any('"jobs_posting"."slug"' in sql for sql in sqls)
