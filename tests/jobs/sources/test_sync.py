"""Issue 19: each kind's documented shape served by a local server, synced through the
management commands and the service: create, update, close (with the notification, once),
unchanged, conditional requests, pagination."""

from io import StringIO

import pytest
from django.core.management import call_command

from jobs.models import Posting, PostingSource, PostingStatus, Source, SourceStatus
from jobs.sources import services
from jobs.sources.connectors import KINDS, connector
from tests.factories import UserFactory
from tests.jobs.sources.board_server import job
from tracking.models import Notification, SavedJob

pytestmark = pytest.mark.django_db


def add(board, kind, *, trust="publish", company="Acme GmbH", extra=()) -> Source:
    out = StringIO()
    call_command("source_add", kind, board.endpoint(kind), "--company", company,
                 "--trust", trust, "--country", "DE", *extra, stdout=out)  # fmt: skip
    return Source.objects.get(pk=int(out.getvalue().strip()))


def sync(source) -> str:
    out = StringIO()
    call_command("source_sync", str(source.pk), stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def postings_of(source):
    return Posting.objects.filter(source_links__source=source).order_by("title")


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_creates_updates_and_closes_postings(board, kind, monkeypatch):
    module = connector(kind)
    if hasattr(module, "PAGE"):
        monkeypatch.setattr(module, "PAGE", 2)  # three jobs take two pages
    source = add(board, kind)
    assert sync(source) == "created 3  updated 0  closed 0  unchanged 0  failed 0"
    first = list(postings_of(source))
    assert [p.title for p in first] == [
        "Backend Engineer 1",
        "Backend Engineer 2",
        "Backend Engineer 3",
    ]
    posting = first[0]
    assert posting.status == PostingStatus.PUBLISHED
    assert posting.company.name == "Acme GmbH"
    assert "payments platform, service number 1" in posting.description
    assert "<li>Python</li>" in posting.description
    assert posting.apply_url.startswith("http://127.0.0.1")
    if kind != "feed":  # an RSS item has no place
        assert [(loc.city, loc.country.code) for loc in posting.locations.all()] == [
            ("Berlin", "DE")
        ]
    assert posting.search_vector is not None
    if kind in ("lever", "ashby", "recruitee", "jsonld"):
        assert (posting.salary_min, posting.salary_max, posting.salary_currency) == (
            60000,
            80000,
            "EUR",
        )
    if kind not in ("jsonld", "feed"):
        assert posting.team == "Engineering"

    reader = UserFactory()
    gone = first[2]
    SavedJob.objects.create(user=reader, posting=gone)
    board.jobs[1]["title"] = "Senior Backend Engineer 2"
    board.jobs[1]["released"] = "2026-11-20T10:00:00.000Z"  # SmartRecruiters' version stamp
    del board.jobs[2]
    board.jobs.append(job(4))
    assert sync(source) == "created 1  updated 1  closed 1  unchanged 1  failed 0"
    gone.refresh_from_db()
    assert gone.status == PostingStatus.CLOSED and gone.closed_at is not None
    assert Posting.objects.get(pk=first[1].pk).title == "Senior Backend Engineer 2"
    notes = Notification.objects.filter(user=reader, kind="posting_closed")
    assert notes.count() == 1 and notes.get().payload["posting_id"] == gone.pk

    stamps = dict(Posting.objects.values_list("pk", "updated_at"))
    assert sync(source) == "created 0  updated 0  closed 0  unchanged 3  failed 0"
    assert dict(Posting.objects.values_list("pk", "updated_at")) == stamps  # nothing written
    assert Notification.objects.filter(user=reader, kind="posting_closed").count() == 1


def test_a_one_request_board_is_asked_conditionally_and_304_changes_nothing(board):
    source = add(board, "greenhouse")
    sync(source)
    source.refresh_from_db()
    assert source.etag
    stamps = dict(Posting.objects.values_list("pk", "updated_at"))
    assert sync(source) == "created 0  updated 0  closed 0  unchanged 3  failed 0"
    path, headers = board.requests[-1]
    assert headers.get("If-None-Match") == source.etag
    source.refresh_from_db()
    assert source.status == SourceStatus.NOT_MODIFIED
    assert dict(Posting.objects.values_list("pk", "updated_at")) == stamps
    assert source.runs.count() == 2


def test_a_job_that_comes_back_is_reopened(board):
    source = add(board, "greenhouse")
    sync(source)
    back = board.jobs.pop()
    sync(source)
    posting = Posting.objects.get(source_links__external_id=back["id"])
    assert posting.status == PostingStatus.CLOSED
    board.jobs.append(back)
    assert "updated 1" in sync(source)
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED and posting.closed_at is None


def test_a_review_source_sends_new_postings_to_the_moderation_queue(board):
    source = add(board, "lever", trust="review")
    sync(source)
    assert set(postings_of(source).values_list("status", flat=True)) == {PostingStatus.SUBMITTED}


def test_a_publish_source_of_a_company_staff_have_not_approved_sends_jobs_to_review(board):
    from jobs.models import Company, CompanyStatus

    source = add(board, "greenhouse", trust="publish")
    Company.objects.filter(pk=source.company_id).update(status=CompanyStatus.PENDING)
    sync(source)
    assert {p.status for p in postings_of(source)} == {PostingStatus.SUBMITTED}


def test_a_job_the_board_lists_without_title_is_counted_failed_with_its_reason(board):
    board.jobs[0]["title"] = ""
    source = add(board, "greenhouse")
    assert sync(source) == "created 2  updated 0  closed 0  unchanged 0  failed 1"
    assert "job 1001 has no title" in source.runs.get().problems


def test_source_add_refuses_a_bad_endpoint_with_a_message(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="board token"):
        call_command("source_add", "greenhouse", "not a token!", "--company", "Acme")
    assert not Source.objects.exists()


def test_the_beat_scanner_enqueues_each_due_source_once(board, django_capture_on_commit_callbacks):
    source = add(board, "greenhouse")
    with django_capture_on_commit_callbacks() as first:
        assert services.sources_run_due() == [source.pk]
    assert services.sources_run_due() == []  # moved forward: a second beat finds nothing due
    source.refresh_from_db()
    assert source.next_run_at > source.created_at
    assert len(first) == 1


def test_a_claimed_source_is_not_run_twice(board):
    source = add(board, "greenhouse")
    assert services.source_claim(source_id=source.pk)
    assert not services.source_claim(source_id=source.pk)
    services.source_release(source_id=source.pk)
    assert services.source_claim(source_id=source.pk)


def test_the_links_record_which_source_lists_a_posting(board):
    source = add(board, "workable")
    sync(source)
    link = PostingSource.objects.get(external_id="WK1001")
    assert link.source == source and link.gone_at is None
    assert link.url.endswith("/workable/j/WK1001")
