"""Issue 19, one job, one posting: the same job through two sources, or reposted under a new id,
is one posting with its sources listed."""

import pytest

from jobs.models import Posting, PostingSource, PostingStatus
from tests.jobs.sources.board_server import job
from tests.jobs.sources.test_sync import add, sync

pytestmark = pytest.mark.django_db


def test_the_same_jobs_through_two_sources_are_one_posting_each(board):
    greenhouse = add(board, "greenhouse", company="Acme GmbH")
    jsonld = add(board, "jsonld", company="ACME")  # the same company, spelt differently
    sync(greenhouse)
    assert sync(jsonld) == "created 0  updated 0  closed 0  unchanged 0  failed 0  merged 3"
    assert Posting.objects.count() == 3
    for posting in Posting.objects.all():
        kinds = sorted(posting.source_links.values_list("source__kind", flat=True))
        assert kinds == ["greenhouse", "jsonld"]


def test_a_posting_still_listed_by_another_source_stays_open(board):
    greenhouse = add(board, "greenhouse")
    jsonld = add(board, "jsonld")
    sync(greenhouse)
    sync(jsonld)
    board.jobs.pop()  # gone from both boards (same server) …
    assert "closed 0" in sync(greenhouse)  # … but the JSON-LD page still lists it
    assert "closed 1" in sync(jsonld)
    assert Posting.objects.filter(status=PostingStatus.CLOSED).count() == 1


def test_a_repost_under_a_new_id_keeps_the_posting(board):
    source = add(board, "greenhouse")
    sync(source)
    posting = Posting.objects.get(source_links__external_id="1003")
    board.jobs[2] = {**board.jobs[2], "id": "9003"}
    assert sync(source) == "created 0  updated 0  closed 0  unchanged 2  failed 0  merged 1"
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED
    links = {link.external_id: link.gone_at is None for link in posting.source_links.all()}
    assert links == {"1003": False, "9003": True}


def test_same_title_elsewhere_or_a_different_text_is_another_job(board):
    board.jobs = [job(1), job(1, id="2001", city="Paris", country="FR"),
                  job(1, id="2002", description="<p>Sell our products to banks in Europe.</p>")]  # fmt: skip
    source = add(board, "greenhouse")
    assert sync(source).startswith("created 3")
    assert PostingSource.objects.count() == 3
