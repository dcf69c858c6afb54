import datetime as dt

import pytest
import time_machine
from django.conf import settings

from jobs.employer import services
from jobs.models import PostingStatus
from jobs.moderation import services as moderation_services
from jobs.tasks import expire_postings
from tests.factories import PostingFactory, UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC)


def test_the_beat_schedule_runs_the_expiry_job():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "jobs.tasks.expire_postings" in tasks


def test_published_postings_past_expires_at_expire_once():
    with time_machine.travel(START, tick=False):
        due = PostingFactory(expires_at=START + dt.timedelta(days=1))
        later = PostingFactory(expires_at=START + dt.timedelta(days=10))
        closed = PostingFactory(status=PostingStatus.CLOSED, expires_at=START)
        draft = PostingFactory(status=PostingStatus.DRAFT, expires_at=START)
        forever = PostingFactory(expires_at=None)
        assert expire_postings() == 0
    with time_machine.travel(START + dt.timedelta(days=2), tick=False):
        assert expire_postings() == 1
        assert expire_postings() == 0  # idempotent
    for posting in (due, later, closed, draft, forever):
        posting.refresh_from_db()
    assert due.status == PostingStatus.EXPIRED
    assert later.status == PostingStatus.PUBLISHED
    assert closed.status == PostingStatus.CLOSED
    assert draft.status == PostingStatus.DRAFT
    assert forever.status == PostingStatus.PUBLISHED


def test_an_approved_posting_expires_after_its_deadline_day():
    employer, staff = UserFactory(), UserFactory(is_staff=True)
    with time_machine.travel(START, tick=False):
        company = services.company_create(name="Acme", by=employer)
        posting = services.posting_create_draft(
            company=company,
            by=employer,
            title="Welder",
            description="<p>Weld.</p>",
            apply_url="https://acme.example",
            application_deadline=dt.date(2026, 5, 3),
            locations=[services.LocationInput(city="Lyon", region="", country="FR")],
        )
        services.posting_submit(posting=posting, by=employer)
        moderation_services.posting_approve(posting=posting, by=staff)
    with time_machine.travel(dt.datetime(2026, 5, 3, 23, 0, tzinfo=dt.UTC), tick=False):
        assert expire_postings() == 0
    with time_machine.travel(dt.datetime(2026, 5, 4, 0, 1, tzinfo=dt.UTC), tick=False):
        assert expire_postings() == 1
    posting.refresh_from_db()
    assert posting.status == PostingStatus.EXPIRED
