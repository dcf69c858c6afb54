"""Issue 19 point 3: a changed job from a source synced "through the moderation queue" follows
the rule of an employer's edit of a published posting (jobs.employer.services.
posting_edit_to_review): back to review, off the board until staff approve it again."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from jobs.employer.services import posting_update
from jobs.models import Company, CompanyMembership, Posting, PostingStatus
from jobs.moderation.services import posting_approve
from tests.factories import PostingFactory, UserFactory
from tests.jobs.sources.test_sync import add, postings_of, sync

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def test_a_changed_job_from_a_review_source_goes_back_to_review(board):
    staff = UserFactory(is_staff=True)
    with time_machine.travel(T0, tick=False):
        source = add(board, "lever", trust="review")
        sync(source)
        for posting in postings_of(source):
            posting_approve(posting=posting, by=staff)
        posting = Posting.objects.get(source_links__external_id="lv-1001")
        assert posting.status == PostingStatus.PUBLISHED
        assert posting.expires_at == T0 + 30 * DAY  # the source's expiry, kept on approval
    with time_machine.travel(T0 + 2 * DAY, tick=False):
        board.jobs[0]["title"] = "Staff Backend Engineer 1"
        assert sync(source) == "created 0  updated 1  closed 0  unchanged 2  failed 0"
        posting.refresh_from_db()
        assert posting.title == "Staff Backend Engineer 1"
        assert posting.status == PostingStatus.SUBMITTED  # off the board until approved
        assert posting.submitted_at == T0 + 2 * DAY
        assert posting.published_at == T0  # its first publication date stays
        assert Posting.objects.published().count() == 2  # the unchanged two stay up
        assert sync(source) == "created 0  updated 0  closed 0  unchanged 3  failed 0"
        posting_approve(posting=posting, by=staff)
        posting.refresh_from_db()
        assert posting.status == PostingStatus.PUBLISHED and posting.published_at == T0
        assert posting.expires_at == T0 + 32 * DAY  # set by the change's sync, kept


def test_it_is_the_rule_of_an_employers_edit(board):
    """The same function decides both: an employer's edit of a published posting."""
    member = UserFactory()
    company = Company.objects.create(name="Own Co", slug="own-co")
    CompanyMembership.objects.create(company=company, user=member, role="owner")
    mine = PostingFactory(company=company, title="Welder")
    posting_update(posting=mine, by=member, title="Senior Welder")
    mine.refresh_from_db()
    assert mine.status == PostingStatus.SUBMITTED and mine.submitted_at is not None


def test_a_changed_job_from_a_publish_source_stays_published(board):
    source = add(board, "lever", trust="publish")
    sync(source)
    board.jobs[0]["title"] = "Staff Backend Engineer 1"
    assert "updated 1" in sync(source)
    posting = Posting.objects.get(source_links__external_id="lv-1001")
    assert posting.status == PostingStatus.PUBLISHED


def test_a_changed_job_still_in_the_queue_stays_in_it(board):
    source = add(board, "lever", trust="review")
    sync(source)
    board.jobs[0]["title"] = "Staff Backend Engineer 1"
    assert "updated 1" in sync(source)
    assert {p.status for p in postings_of(source)} == {PostingStatus.SUBMITTED}


def test_the_review_page_shows_the_boards_a_queued_job_comes_from(client, board):
    source = add(board, "lever", trust="review")
    sync(source)
    posting = Posting.objects.get(source_links__external_id="lv-1001")
    client.force_login(UserFactory(is_staff=True))
    html = client.get(reverse("jobs_staff:review_detail", args=[posting.pk])).content.decode()
    assert "Listed at" in html
    assert f'href="{board.url}/lever/1001"' in html
