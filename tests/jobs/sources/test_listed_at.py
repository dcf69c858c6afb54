"""Issue 19 point 1: the public posting page lists the sources a posting is reached through
("Listed at": each source's kind and company, linking to the job at that source), read in the
query that loads the posting (the page stays at two queries), and a sync that adds or drops a
source's link makes the cached page stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config import page_cache
from jobs.models import Company, CompanyStatus, Posting
from tests.factories import PostingFactory
from tests.jobs.sources.board_server import Board
from tests.jobs.sources.test_sync import add, sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_board():
    server = Board()
    yield server
    server.close()


def listed_part(html: str) -> str:
    start = html.index('id="listed-heading"')
    return html[start : html.index("</section>", start)]


def test_a_posting_reached_through_two_sources_lists_both(client, board, django_assert_num_queries):
    sync(add(board, "greenhouse", company="Acme GmbH"))
    assert "merged 3" in sync(add(board, "jsonld", company="ACME"))
    posting = Posting.objects.get(
        source_links__external_id="1001", source_links__source__kind="greenhouse"
    )
    with django_assert_num_queries(2):  # the posting (company, group, sources), its locations
        html = client.get(posting.get_absolute_url()).content.decode()
    part = listed_part(html)
    assert (
        f'<a href="{board.url}/gh/jobs/1001" rel="noopener noreferrer nofollow">Greenhouse</a>'
        in part
    )
    assert (
        f'<a href="{board.url}/jsonld/jobs/1001" rel="noopener noreferrer nofollow">Careers page</a>'
        in part
    )
    assert part.count("· Acme GmbH") == 1 and part.count("· ACME") == 1
    assert part.index("Greenhouse") < part.index("Careers page")  # first seen first


def test_a_posting_of_no_source_has_no_listed_at(client):
    html = client.get(PostingFactory().get_absolute_url()).content.decode()
    assert "Listed at" not in html


def test_the_company_of_a_source_staff_have_not_approved_is_not_named(client, board):
    sync(add(board, "greenhouse", company="Acme GmbH"))
    jsonld = add(board, "jsonld", company="ACME")
    sync(jsonld)
    Company.objects.filter(pk=jsonld.company_id).update(status=CompanyStatus.PENDING)
    posting = Posting.objects.get(title="Backend Engineer 1")
    part = listed_part(client.get(posting.get_absolute_url()).content.decode())
    assert "Careers page" in part and "ACME" not in part and "· Acme GmbH" in part


def test_a_job_without_a_page_at_its_source_links_to_its_apply_url(client, board):
    board.jobs[0]["ld"] = {"url": "javascript:alert(1)"}  # refused: the page's own URL is used
    sync(add(board, "jsonld"))
    posting = Posting.objects.get(title="Backend Engineer 1")
    html = client.get(posting.get_absolute_url()).content.decode()
    assert "javascript:" not in html
    assert f'href="{board.url}/jsonld/jobs/1001"' in listed_part(html)


def test_a_sync_that_drops_a_source_makes_the_cached_page_stale(
    client, board, other_board, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    page_cache.forget_local()
    sync(add(board, "greenhouse", company="Acme GmbH"))
    jsonld = add(other_board, "jsonld", company="ACME")
    sync(jsonld)
    posting = Posting.objects.get(title="Backend Engineer 1")
    url = posting.get_absolute_url()
    assert "Careers page" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    other_board.jobs.pop(0)  # gone from the JSON-LD pages, still on the Greenhouse board
    before = page_cache.current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        assert sync(jsonld) == "created 0  updated 0  closed 0  unchanged 2  failed 0"
    assert page_cache.current_generation() > before
    response = client.get(url)
    assert response["X-Page-Cache"] != "hit"
    part = listed_part(response.content.decode())
    assert "Greenhouse" in part and "Careers page" not in part
    page_cache.forget_local()


def test_the_sources_come_in_the_postings_own_query(board):
    sync(add(board, "greenhouse"))
    from jobs.board.selectors import posting_for_page

    pk = Posting.objects.get(title="Backend Engineer 1").pk
    with CaptureQueriesContext(connection) as queries:
        posting = posting_for_page(pk=pk)
    assert len(queries) == 2 and "jobs_postingsource" in queries[0]["sql"]
    assert posting.listed_at_rows[0]["kind"] == "greenhouse"
