"""Issue 19: synced postings expire. At the job's validThrough where the board gives one, else
SOURCES_LISTING_DAYS (30) after the sync that last saw it listed, extended only once less than
half is left (an unchanged re-sync still writes nothing); a board that stops answering lets its
postings expire through the usual path, with the "saved posting about to expire" emails."""

import datetime as dt

import pytest
import time_machine

from jobs.employer.services import postings_expire
from jobs.models import Posting, PostingStatus
from tests.factories import UserFactory
from tests.jobs.sources.test_sync import add, sync
from tracking.alerts.services import scan_expiring_saved_jobs
from tracking.models import Notification, SavedJob

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def stamps():
    return dict(Posting.objects.values_list("pk", "updated_at"))


def expiries():
    return set(Posting.objects.values_list("expires_at", flat=True))


def test_a_posting_without_a_date_lives_thirty_days_past_its_last_sighting(board):
    with time_machine.travel(T0, tick=False):
        source = add(board, "greenhouse")
        assert sync(source) == "created 3  updated 0  closed 0  unchanged 0  failed 0"
        assert expiries() == {T0 + 30 * DAY}
        before = stamps()
    with time_machine.travel(T0 + 14 * DAY, tick=False):  # 16 days left: more than half
        assert sync(source) == "created 0  updated 0  closed 0  unchanged 3  failed 0"
        assert expiries() == {T0 + 30 * DAY} and stamps() == before  # nothing written
    with time_machine.travel(T0 + 16 * DAY, tick=False):  # 14 days left: extended
        assert sync(source) == "created 0  updated 0  closed 0  unchanged 3  failed 0  extended 3"
        assert expiries() == {T0 + 46 * DAY}
        assert stamps() == before  # the expiry is not an edit: updated_at stays
        assert sync(source) == "created 0  updated 0  closed 0  unchanged 3  failed 0"


def test_a_board_that_stops_answering_lets_its_postings_expire_with_the_warnings(board):
    reader = UserFactory()
    with time_machine.travel(T0, tick=False):
        source = add(board, "lever")
        sync(source)
        saved = SavedJob.objects.create(user=reader, posting=Posting.objects.first())
    board.fault = "500"
    with time_machine.travel(T0 + 20 * DAY, tick=False):
        with pytest.raises(Exception, match="degraded"):
            sync(source)
        assert expiries() == {T0 + 30 * DAY}  # a fault changes nothing
    with time_machine.travel(T0 + 27 * DAY, tick=False):  # three days left
        assert scan_expiring_saved_jobs() == 1
        note = Notification.objects.get(user=reader, kind="saved_job_expiring")
        assert note.payload["posting_id"] == saved.posting_id
        assert note.payload["days_left"] == 3
    with time_machine.travel(T0 + 30 * DAY + dt.timedelta(minutes=5), tick=False):
        assert postings_expire() == 3
        assert set(Posting.objects.values_list("status", flat=True)) == {PostingStatus.EXPIRED}
    board.fault = None  # the board is back and still lists them: published again
    with time_machine.travel(T0 + 31 * DAY, tick=False):
        assert "extended 3" in sync(source)
        assert set(Posting.objects.values_list("status", flat=True)) == {PostingStatus.PUBLISHED}
        assert expiries() == {T0 + 61 * DAY}


def test_valid_through_sets_the_expiry_and_a_change_of_it_is_a_change(board):
    board.jobs[0]["ld"] = {"validThrough": "2026-12-15T23:59:59+01:00"}
    with time_machine.travel(T0, tick=False):
        source = add(board, "jsonld")
        sync(source)
        posting = Posting.objects.get(source_links__external_id="1001")
        assert posting.expires_at == dt.datetime(2026, 12, 15, 22, 59, 59, tzinfo=dt.UTC)
        others = Posting.objects.exclude(pk=posting.pk)
        assert {p.expires_at for p in others} == {T0 + 30 * DAY}
    with time_machine.travel(T0 + 25 * DAY, tick=False):
        # 20 days left on the validThrough: the board's date stands; the other two have 5 left
        assert sync(source) == "created 0  updated 0  closed 0  unchanged 3  failed 0  extended 2"
        assert Posting.objects.get(pk=posting.pk).expires_at.date() == dt.date(2026, 12, 15)
        board.jobs[0]["ld"] = {"validThrough": "2027-01-31"}
        assert sync(source).startswith("created 0  updated 1  closed 0  unchanged 2")
        posting.refresh_from_db()
        assert posting.expires_at == dt.datetime(2027, 1, 31, tzinfo=dt.UTC)


def test_a_valid_through_in_the_past_expires_the_posting_and_a_repeat_keeps_it_expired(board):
    board.jobs[0]["ld"] = {"validThrough": "2026-10-31"}
    with time_machine.travel(T0, tick=False):
        source = add(board, "jsonld")
        sync(source)
        assert postings_expire() == 1
        posting = Posting.objects.get(source_links__external_id="1001")
        assert posting.status == PostingStatus.EXPIRED
    with time_machine.travel(T0 + 20 * DAY, tick=False):
        assert sync(source) == "created 0  updated 0  closed 0  unchanged 3  failed 0  extended 2"
        posting.refresh_from_db()
        assert posting.status == PostingStatus.EXPIRED  # still past its board's date


def test_a_job_reached_through_a_second_source_keeps_one_expiry(board):
    with time_machine.travel(T0, tick=False):
        greenhouse = add(board, "greenhouse")
        sync(greenhouse)
    with time_machine.travel(T0 + 20 * DAY, tick=False):  # 10 days left: the link extends it
        jsonld = add(board, "jsonld", company="ACME")
        assert sync(jsonld) == (
            "created 0  updated 0  closed 0  unchanged 0  failed 0  merged 3  extended 3"
        )
        assert expiries() == {T0 + 50 * DAY}
        assert sync(greenhouse) == "created 0  updated 0  closed 0  unchanged 3  failed 0"
