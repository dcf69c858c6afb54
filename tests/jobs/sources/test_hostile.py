"""Issue 19, attacked: a board whose jobs carry a validThrough in 1899 or 9999, a NUL byte or
Unicode digits in a date, a 10,000-character title, a `javascript:` apply URL. Each job becomes a
posting that is safe to show (or is counted failed with its reason); the sync never crashes."""

import datetime as dt

import pytest
import time_machine

from jobs.models import Posting, PostingStatus
from jobs.sources.connectors import when
from jobs.sources.mapping import valid_until
from tests.jobs.sources.test_sync import add, sync

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
LIFETIME = T0 + dt.timedelta(days=30)


@pytest.mark.parametrize(
    ("valid_through", "expires_at"),
    [
        ("1899-12-31", LIFETIME),  # before 1900: not a date we keep
        ("9999-12-31T23:59:59-05:00", LIFETIME),  # past year 9999 once in UTC
        ("9999-12-31", LIFETIME),
        ("2199-06-01", LIFETIME),  # in range but a placeholder, more than a year ahead
        ("2026-12-24\x00", dt.datetime(2026, 12, 24, tzinfo=dt.UTC)),  # the NUL is dropped
        ("２０２６-１２-２４", LIFETIME),  # fullwidth digits: not ISO 8601
        ("٢٠٢٦-١٢-٢٤", LIFETIME),  # Arabic-Indic digits
        (1e20, LIFETIME),  # an epoch number past year 9999
        (float("nan"), LIFETIME),
        (True, LIFETIME),
        ({"@value": "2026-12-24"}, LIFETIME),
        ("", LIFETIME),
    ],
)
def test_a_bad_valid_through_falls_back_to_the_listing_lifetime(board, valid_through, expires_at):
    board.jobs[0]["ld"] = {"validThrough": valid_through}
    with time_machine.travel(T0, tick=False):
        source = add(board, "jsonld")
        assert sync(source) == "created 3  updated 0  closed 0  unchanged 0  failed 0"
        posting = Posting.objects.get(source_links__external_id="1001")
        assert posting.expires_at == expires_at
        assert posting.status == PostingStatus.PUBLISHED
        assert sync(source) == "created 0  updated 0  closed 0  unchanged 3  failed 0"


def test_when_and_valid_until_never_raise():
    now = T0
    for value in (1e300, -1e300, 10**30, "0000-00-00", "2026-02-30", "\x00", "9" * 5000):
        assert valid_until(when(value), now=now) is None


def test_a_ten_thousand_character_title_and_nul_bytes_are_cut_and_dropped(client, board):
    board.jobs[0]["title"] = "Engineer " + "x" * 9_991
    board.jobs[1]["title"] = "Back\x00end Engineer"
    board.jobs[2]["ld"] = {"identifier": {"@type": "PropertyValue", "value": "10\x0003"}}
    board.jobs[2]["description"] = "<p>Fine\x00 print</p>"
    source = add(board, "jsonld")
    assert sync(source) == "created 3  updated 0  closed 0  unchanged 0  failed 0"
    long = Posting.objects.get(title__startswith="Engineer x")
    assert len(long.title) == 200
    assert Posting.objects.filter(title="Backend Engineer").exists()
    assert Posting.objects.filter(source_links__external_id="1003").exists()
    assert Posting.objects.filter(description__contains="Fine print").exists()
    response = client.get(long.get_absolute_url())
    assert response.status_code == 200
    assert sync(source) == "created 0  updated 0  closed 0  unchanged 3  failed 0"


def test_a_javascript_apply_url_is_never_a_link(client, board):
    board.jobs[0]["ld"] = {"url": "javascript:alert(document.cookie)"}
    board.jobs[1]["ld"] = {"url": "JavaScript:alert(1)//https://example.com"}
    board.jobs[2]["description"] = '<p><a href="javascript:alert(1)">Apply</a></p>'
    source = add(board, "jsonld")
    assert sync(source) == "created 3  updated 0  closed 0  unchanged 0  failed 0"
    for posting in Posting.objects.all():
        assert posting.apply_url.startswith(board.url + "/jsonld/jobs/")
        html = client.get(posting.get_absolute_url()).content.decode()
        assert "javascript:" not in html.lower()


def test_a_greenhouse_job_with_only_a_javascript_url_links_to_the_board(board):
    board_jobs = board.jobs
    source = add(board, "greenhouse")
    from tests.jobs.sources import board_server

    original = board_server.greenhouse

    def hostile(board, path, query):
        status, head, body = original(board, path, query)
        return (
            status,
            head,
            body.replace(
                b'"absolute_url": "http', b'"absolute_url": "javascript:alert(1)//http', 1
            ),
        )

    board_server.SHAPES["greenhouse"] = (hostile, board_server.SHAPES["greenhouse"][1])
    try:
        assert sync(source) == "created 3  updated 0  closed 0  unchanged 0  failed 0"
    finally:
        board_server.SHAPES["greenhouse"] = (original, board_server.SHAPES["greenhouse"][1])
    assert len(board_jobs) == 3
    assert not Posting.objects.filter(apply_url__icontains="javascript").exists()
    link = Posting.objects.get(title="Backend Engineer 1").source_links.get()
    assert link.url == ""  # no page at the source to link to; the page falls back to apply_url
