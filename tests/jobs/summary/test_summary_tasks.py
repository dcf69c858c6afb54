"""Summaries computed by the Celery task, stored on the posting, refreshed by resummarize."""

import datetime as dt
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from jobs.models import Posting
from jobs.summary import ENGINE_VERSION, Summary, source_text
from jobs.summary.samples import INTERNSHIP_HTML, INTERNSHIP_TITLE
from jobs.summary.services import known_facts_for, posting_summary_enqueue, posting_summary_refresh
from jobs.summary.tasks import summarize_posting
from tests.factories import CompanyFactory, CompanyGroupFactory, LocationFactory, PostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def internship():
    group = CompanyGroupFactory(name="Bytewise Group", application_limit=2)
    return PostingFactory(
        title=INTERNSHIP_TITLE, description=INTERNSHIP_HTML, company=CompanyFactory(group=group),
        employment_type="internship", level="internship",
    )  # fmt: skip


def test_the_task_stores_the_summary_and_its_version(internship):
    assert summarize_posting(internship.pk) is True
    internship.refresh_from_db()
    assert internship.summary_version == ENGINE_VERSION
    summary = Summary.from_dict(internship.summary)
    assert summary.fact("application_limit").data["limit"] == 2
    assert summary.fact("review_policy").data == "rolling"
    item = summary.required[0]
    assert source_text(internship.description)[item.start : item.end] == item.text


def test_the_task_ignores_a_posting_that_is_gone():
    assert summarize_posting(987654321) is False


def test_a_posting_edited_meanwhile_is_not_overwritten(internship):
    stale = Posting.objects.get(pk=internship.pk)
    internship.description = "<p>Edited.</p>"
    internship.save()
    assert posting_summary_refresh(posting=stale) is False
    internship.refresh_from_db()
    assert internship.summary is None and internship.summary_version == 0


def test_known_facts_come_from_the_posting_fields():
    group = CompanyGroupFactory(name="Acme Group", application_limit=3)
    posting = PostingFactory(
        company=CompanyFactory(group=group), description="<p>Build and run our Python services.</p>",
        salary_min=50000, salary_max=60000, salary_currency="EUR", salary_period="year",
        application_deadline=dt.date(2025, 5, 1), workplace="hybrid",
    )  # fmt: skip
    posting.locations.add(LocationFactory(city="Berlin", country="DE"))
    facts = known_facts_for(posting)
    assert facts["salary"]["value"] == "€50,000–€60,000 per year"
    assert facts["deadline"] == {"value": "1 May 2025", "data": "2025-05-01"}
    assert facts["locations"] == ["Berlin, Germany"]
    assert facts["application_limit"]["data"]["limit"] == 3
    assert posting_summary_refresh(posting=posting)
    summary = Summary.from_dict(posting.summary)
    # Too short to summarize, but the posting's own facts are still shown.
    assert summary.status == "insufficient"
    assert summary.fact("application_limit").value.startswith(
        "At most three applications across Acme Group"
    )
    assert summary.fact("workplace").data == "hybrid"


def test_resummarize_sync_recomputes_only_older_versions(internship):
    current = PostingFactory()
    posting_summary_refresh(posting=current)
    current.refresh_from_db()
    marker = {**current.summary, "title": "kept"}
    Posting.objects.filter(pk=current.pk).update(summary=marker)
    out = StringIO()
    call_command("resummarize", "--sync", "--batch", "1", stdout=out)
    assert "Summarized 1 posting" in out.getvalue()
    internship.refresh_from_db()
    current.refresh_from_db()
    assert internship.summary_version == ENGINE_VERSION
    assert current.summary["title"] == "kept"
    call_command("resummarize", "--sync", "--all", stdout=out)
    current.refresh_from_db()
    assert current.summary["title"] == current.title


def wait_until_summarized(*postings, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    pks = [p.pk for p in postings]
    while time.monotonic() < deadline:
        current = Posting.objects.filter(pk__in=pks, summary_version=ENGINE_VERSION)
        if current.count() == len(pks):
            return
        time.sleep(0.2)


@pytest.mark.services
def test_a_worker_summarizes_on_commit_and_on_resummarize(celery_worker_process):
    internship = PostingFactory(title=INTERNSHIP_TITLE, description=INTERNSHIP_HTML)
    other = PostingFactory()
    with transaction.atomic():
        posting_summary_enqueue(posting=internship)
    # The worker picks the task up once the transaction commits; waiting for it first keeps the
    # resummarize count below from racing the worker.
    wait_until_summarized(internship)
    internship.refresh_from_db()
    assert internship.summary_version == ENGINE_VERSION
    assert Summary.from_dict(internship.summary).fact("review_policy").data == "rolling"

    out = StringIO()
    call_command("resummarize", stdout=out)  # only the one still unsummarized
    assert "Enqueued 1 posting " in out.getvalue()
    wait_until_summarized(other)
    other.refresh_from_db()
    assert other.summary_version == ENGINE_VERSION
