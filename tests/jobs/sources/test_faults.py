"""Issue 19, faults: each leaves the source degraded with a readable error and nothing else
changed; a retry that succeeds is no fault; a worker killed mid-sync leaves nothing half-applied."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from jobs.models import Posting, Source, SourceStatus
from tests.jobs.sources.board_server import job
from tests.jobs.sources.test_sync import add, sync

EXPECTED = {
    "500": "answered 500",
    "429": "429 Too Many Requests (Retry-After: 1)",
    "timeout": "did not answer within 1 s",
    "html": "answered HTML",
    "malformed": "malformed or truncated JSON",
    "truncated": "malformed or truncated JSON",
    "huge": "answered more than 5 MB (20.0 MB)",
    "huge_stream": "answered more than 5 MB; stopped reading",
}


def _rows():
    return sorted(Posting.objects.values_list("pk", "title", "status", "updated_at"))


@pytest.mark.django_db
@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_a_fault_degrades_the_source_and_changes_nothing_else(board, fault, settings):
    settings.SOURCES_RETRIES = 1
    source = add(board, "greenhouse")
    sync(source)
    before = _rows()
    board.jobs = [job(7)]  # what a working board would now say: must not be applied
    board.fault = fault
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="degraded"):
        sync(source)
    source.refresh_from_db()
    assert source.degraded and source.status == SourceStatus.DEGRADED
    assert EXPECTED[fault] in source.last_error
    assert source.consecutive_failures == 1
    assert _rows() == before
    run = source.runs.first()
    assert run.status == SourceStatus.DEGRADED and EXPECTED[fault] in run.error

    board.fault = None  # the board recovers: the next sync clears the flag
    board.jobs = [job(1), job(2), job(3)]
    sync(source)
    source.refresh_from_db()
    assert not source.degraded and source.last_error == "" and source.consecutive_failures == 0


@pytest.mark.django_db
@pytest.mark.parametrize("fault", ["500", "429"])
def test_a_passing_fault_is_retried_with_backoff(board, fault):
    source = add(board, "greenhouse")
    board.retry_after = "0"
    board.fault, board.fault_times = fault, 1
    assert sync(source).startswith("created 3")
    assert len(board.requests) == 2


@pytest.mark.django_db
def test_a_truncated_xml_feed_is_a_readable_error(board):
    source = add(board, "personio")
    board.fault = "truncated"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="malformed or truncated XML"):
        sync(source)


@pytest.mark.django_db
def test_a_board_that_suddenly_lists_a_fraction_closes_nothing_until_staff_allow_it(board):
    board.jobs = [job(n) for n in range(1, 13)]
    source = add(board, "greenhouse")
    sync(source)
    board.jobs = board.jobs[:1]
    assert sync(source) == "created 0  updated 0  closed 0  unchanged 1  failed 0"
    source.refresh_from_db()
    assert source.status == SourceStatus.HELD
    assert "The board listed 1 job where 12 were live" in source.held_reason
    assert Posting.objects.filter(status="published").count() == 12

    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("source_sync", str(source.pk), "--allow-closing", stdout=out)
    assert "closed 11" in out.getvalue()
    source.refresh_from_db()
    assert source.status == SourceStatus.OK and not source.allow_mass_close


# --- SIGKILL mid-sync ---------------------------------------------------------------------

STALLING_SYNC = textwrap.dedent(
    """
    import os, sys, time, django
    django.setup()
    from jobs.sources import services
    from jobs.models import Source

    def stall(n):
        if n == 2:  # two postings written inside the transaction: now die
            open(os.environ["MARKER"], "w").close()
            time.sleep(60)

    services.after_each_job = stall
    services.source_sync(source=Source.objects.get(pk=int(sys.argv[1])))
    """
)


@pytest.mark.django_db(transaction=True)
def test_a_sync_killed_mid_apply_leaves_nothing_and_the_next_run_finishes(board, tmp_path):
    from tests.tracking.alerts.exactly_once import services_env

    board.jobs = [job(n) for n in range(1, 6)]
    source = add(board, "greenhouse")
    marker = tmp_path / "stalled"
    env = {**services_env(), "MARKER": str(marker), "SOURCES_HOST_INTERVAL_MS": "0",
           "DJANGO_SETTINGS_MODULE": "config.settings"}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-c", STALLING_SYNC, str(source.pk)], env=env, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the sync process died before stalling"
            assert time.monotonic() < deadline, "the sync never reached the stall"
            time.sleep(0.1)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert Posting.objects.count() == 0
    source.refresh_from_db()
    assert source.runs.count() == 0 and source.status == SourceStatus.NEW

    assert sync(Source.objects.get(pk=source.pk)).startswith("created 5")
    assert Posting.objects.count() == 5


@pytest.mark.django_db
def test_a_board_on_a_private_address_is_refused_outside_development(board, settings):
    """An employer's "board URL" must not reach into our own network (SSRF)."""
    settings.SOURCES_ALLOW_PRIVATE_HOSTS = False
    source = add(board, "greenhouse")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="127.0.0.1 is not a public address"):
        sync(source)
    assert board.requests == [] and not Posting.objects.exists()
