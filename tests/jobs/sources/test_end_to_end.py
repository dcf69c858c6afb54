"""Issue 19, end to end: a real Celery worker and a real beat (each its own process, on the real
Redis broker and the test database) keep a source current: the beat's scanner finds it due,
the worker syncs it; a changed board updates and closes postings, and the reader who saved the
closed one is told once."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.utils import timezone

from jobs.models import Posting, PostingStatus, Source
from jobs.sources.services import source_create
from tests.factories import CompanyFactory, UserFactory
from tests.tracking.alerts.exactly_once import await_worker, services_env, stop, wait_for
from tracking.models import Notification, SavedJob

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _spawn(args, env):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", *args],
        env=env,
        start_new_session=True,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_worker_and_beat_keep_a_source_current(board, tmp_path):
    env = {**services_env(), "SOURCES_SCAN_SECONDS": "1", "SOURCES_HOST_INTERVAL_MS": "0"}
    source = source_create(
        kind="greenhouse",
        endpoint=board.endpoint("greenhouse"),
        company=CompanyFactory(name="Acme"),
        trust="publish",
        schedule_minutes=1,
    )
    hostname = f"src-{os.getpid()}-{time.monotonic_ns()}@%h"
    worker = _spawn(["worker", "--loglevel=WARNING", "--concurrency=2", "--pool=prefork",
                     f"--hostname={hostname}", "--without-gossip", "--without-mingle"], env)  # fmt: skip
    beat = None
    try:
        await_worker(worker, hostname.replace("%h", os.uname().nodename))
        beat = _spawn(["beat", "--loglevel=WARNING", "-s", str(tmp_path / "beat-schedule")], env)
        assert wait_for(lambda: Posting.objects.filter(status="published").count() == 3, 90), (
            "the beat and worker did not create the postings"
        )
        reader = UserFactory()
        closing = Posting.objects.get(source_links__external_id="1003")
        SavedJob.objects.create(user=reader, posting=closing)

        board.jobs[0]["title"] = "Principal Backend Engineer"
        del board.jobs[2]
        Source.objects.filter(pk=source.pk).update(next_run_at=timezone.now())

        def done():
            closing.refresh_from_db()
            return (
                closing.status == PostingStatus.CLOSED
                and Posting.objects.filter(title="Principal Backend Engineer").exists()
            )

        assert wait_for(done, 90), "the second sync did not update and close"
        assert wait_for(
            lambda: Notification.objects.filter(user=reader, kind="posting_closed").exists(), 30
        )

        def released():
            source.refresh_from_db()
            return source.claimed_until is None

        # The postings change inside the run; its claim is released when the run is recorded.
        assert wait_for(released, 30), "the run kept its claim"
        assert source.runs.count() >= 2 and not source.degraded
        time.sleep(2)  # more beats: nothing new happens, nothing is sent twice
        assert Notification.objects.filter(user=reader, kind="posting_closed").count() == 1
        assert Posting.objects.count() == 3
    finally:
        if beat is not None:
            stop(beat, signal.SIGKILL)
        stop(worker)
