"""Staff imports run in the background (jobs/imports/services.py): the upload checks the file's
envelope at once, stores it as an ImportJob and enqueues it; a Celery worker imports it; the
status page shows progress and then the report."""

import datetime as dt
import re
import time
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jobs.imports import services as import_jobs
from jobs.imports.services import MAX_ATTEMPTS, STALE_AFTER, import_jobs_recover
from jobs.models import ImportJob, ImportJobStatus, Posting
from jobs.tasks import run_import_job
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def upload(name: str, data: bytes | None = None, **extra):
    return {
        "file": SimpleUploadedFile(name, data if data is not None else read(name)),
        "source": "upload",
        **extra,
    }


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def queued_job(staff, name: str = "postings.csv", **fields) -> ImportJob:
    data = read(name)
    return ImportJob.objects.create(
        created_by=staff,
        filename=name,
        size=len(data),
        format="CSV",
        rows=3,
        data=data,
        source="upload",
        **fields,
    )


def wait_for(
    job: ImportJob, statuses=("done", "failed"), seconds: float = 60, every: float = 0.2
) -> ImportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job
        time.sleep(every)
    raise AssertionError(f"job {job.pk} is still {job.status} after {seconds} s")


# -- with a real worker ---------------------------------------------------------------------


@pytest.mark.services
def test_a_worker_imports_uploads_and_runs_again_a_job_whose_worker_was_killed(
    staff_client, staff, celery_worker_process
):
    import psutil

    response = staff_client.post("/staff/import/", upload("postings.csv"))

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/imports/{job.pk}/"
    assert (job.filename, job.format, job.rows, job.source) == ("postings.csv", "CSV", 3, "upload")
    assert wait_for(job).status == "done"
    assert (job.accepted, job.created, job.updated, job.unchanged) == (True, 3, 0, 0)
    assert job.started_at <= job.finished_at and job.attempts == 1
    assert Posting.objects.filter(source="upload").count() == 3
    page = staff_client.get(response["Location"]).content.decode()
    assert "3 created" in page
    assert 'hx-trigger="every' not in page  # finished: the page stops polling

    # The same file again: idempotent on (source, external_id), nothing duplicated.
    staff_client.post("/staff/import/", upload("postings.csv"))
    again = wait_for(ImportJob.objects.latest("pk"))
    assert (again.status, again.created, again.unchanged) == ("done", 0, 3)
    assert Posting.objects.filter(source="upload").count() == 3

    # A pool process killed mid-import (say, out of memory): its transaction is rolled back, the
    # worker requeues the message (acks_late, reject on worker lost) and the import runs again.
    rows = [f'Title {i},Acme {i % 40},Description {i},"Berlin, DE",K-{i}' for i in range(2000)]
    data = ("title,company,description,locations,external_id\n" + "\n".join(rows)).encode()
    job = ImportJob.objects.create(
        created_by=staff, filename="big.csv", size=len(data), rows=2000, data=data, source="feed"
    )
    run_import_job.delay(job.pk)
    wait_for(job, statuses=("running", "done", "failed"), seconds=30, every=0.02)
    assert job.status == "running", "the import finished before the worker could be killed"
    for child in psutil.Process(celery_worker_process.pid).children():
        child.kill()  # an OOM kill of the pool: the worker requeues the message (acks_late)

    assert wait_for(job).status == "done"
    # created == 2000 on the second attempt: the first one left no posting behind.
    assert (job.attempts, job.created, job.accepted) == (2, 2000, True)
    assert Posting.objects.filter(source="feed").count() == 2000


# -- the upload page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("big.csv", b"title,company,description\n" + b"T,C,D\n" * 5_001, "more than 5,000 rows"),
        ("utf16.csv", "title,company,description\n".encode("utf-16"), "UTF-16"),
        ("columns.csv", b"title,company\nT,C\n", "Missing required column(s): description"),
        ("broken.json", b'{"@graph": [1, 2', "Not valid JSON"),
    ],
)
def test_a_bad_envelope_is_answered_at_once_and_the_form_keeps_the_choices(
    staff_client, django_capture_on_commit_callbacks, name, data, message
):
    with django_capture_on_commit_callbacks() as enqueued:
        response = staff_client.post(
            "/staff/import/", upload(name, data, source="partner-feed", skip_invalid="on")
        )

    assert response.status_code == 400
    content = response.content.decode()
    assert f"{name}: " in content and message in content
    assert 'value="partner-feed"' in content
    assert re.search(r"<input type=\"checkbox\" name=\"skip_invalid\"[^>]* checked>", content)
    assert ImportJob.objects.count() == 0 and enqueued == []


def test_a_file_over_the_size_limit_is_refused_without_reading_it(staff_client, monkeypatch):
    monkeypatch.setattr("jobs.imports.views.MAX_BYTES", 10)

    response = staff_client.post("/staff/import/", upload("postings.csv"))

    assert response.status_code == 400
    assert "the limit is" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_upload_page_lists_recent_imports(staff_client, staff, django_assert_max_num_queries):
    for _ in range(25):
        queued_job(staff)
    done = queued_job(staff, "invalid.csv")
    run_import_job(done.pk)

    with django_assert_max_num_queries(4):
        response = staff_client.get("/staff/import/")

    content = response.content.decode()
    assert content.count('href="/staff/imports/') == import_jobs.RECENT_JOBS
    assert f'href="/staff/imports/{done.pk}/"' in content and "Rejected" in content


# -- running a job --------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_row_errors_and_skipped_rows_are_shown_on_the_status_page(staff_client, staff):
    job = queued_job(staff, "invalid.csv", skip_invalid=True)

    run_import_job(job.pk)
    job.refresh_from_db()
    content = staff_client.get(job.get_absolute_url()).content.decode()

    assert (job.status, job.accepted) == ("done", True)
    assert job.skipped >= 1 and job.created == Posting.objects.count()
    assert "<h3>Skipped rows</h3>" in content
    assert "<td>row 3</td><td>salary_min</td><td>&#x27;abc&#x27; is not a whole number</td>" in (
        content
    )
    assert f"<strong>{job.skipped}</strong> skipped" in content


def test_an_exception_in_the_import_marks_the_job_failed(staff_client, staff, monkeypatch):
    def explode(*args, **kwargs):
        Posting.objects.all().delete()  # a write that must be rolled back with the failure
        raise RuntimeError("the disk is on fire")

    job = queued_job(staff)
    run_import_job(job.pk)  # 3 postings
    again = queued_job(staff)
    monkeypatch.setattr(import_jobs, "import_postings", explode)

    run_import_job(again.pk)
    again.refresh_from_db()

    assert again.status == "failed" and again.finished_at is not None
    assert "RuntimeError: the disk is on fire" in again.failure
    assert Posting.objects.count() == 3
    response = staff_client.get(again.get_absolute_url())
    assert b'role="alert">The import stopped with an error' in response.content
    assert b"every 2s" not in response.content


@time_machine.travel(NOW, tick=False)
def test_a_job_left_running_by_a_killed_worker_runs_again_and_a_finished_one_does_not(staff):
    # A killed worker's transaction is rolled back: the job stays "running" with nothing saved,
    # and the broker delivers the message again.
    job = queued_job(staff, status=ImportJobStatus.RUNNING, attempts=1, started_at=NOW)

    run_import_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.created) == ("done", 2, 3)

    run_import_job(job.pk)  # a duplicate delivery
    job.refresh_from_db()
    assert (job.status, job.attempts, job.created) == ("done", 2, 3)
    assert Posting.objects.count() == 3


def test_files_of_imports_finished_long_ago_are_dropped_and_their_reports_kept(staff_client, staff):
    old = queued_job(staff, status=ImportJobStatus.DONE, finished_at=NOW - dt.timedelta(days=31))
    old.report = {"issues": [{"row": 2, "column": "title", "message": "Required."}]}
    old.save()
    failed = queued_job(
        staff, status=ImportJobStatus.FAILED, finished_at=NOW - dt.timedelta(days=40)
    )
    recent = queued_job(staff, status=ImportJobStatus.DONE, finished_at=NOW - dt.timedelta(days=29))
    unfinished = queued_job(staff, enqueued_at=NOW - dt.timedelta(days=60))

    assert import_jobs.import_jobs_purge_files(now=NOW) == 2
    assert import_jobs.import_jobs_purge_files(now=NOW) == 0  # once only
    for job, purged in [(old, True), (failed, True), (recent, False), (unfinished, False)]:
        job.refresh_from_db()
        assert (bytes(job.data) == b"") is purged, job
        assert (job.file_purged_at == NOW) is purged
    assert old.report["issues"][0]["column"] == "title" and old.size > 0

    with time_machine.travel(NOW, tick=False):
        page = staff_client.get(f"/staff/imports/{old.pk}/").content.decode()
    assert "the file itself was deleted on" in page and "the report is kept" in page


def test_a_job_whose_worker_died_too_often_is_failed(staff):
    job = queued_job(staff, status=ImportJobStatus.RUNNING, attempts=MAX_ATTEMPTS)

    run_import_job(job.pk)
    job.refresh_from_db()

    assert job.status == "failed" and f"stopped {MAX_ATTEMPTS} times" in job.failure
    assert Posting.objects.count() == 0


def test_lost_jobs_are_queued_again(staff, django_capture_on_commit_callbacks):
    old = NOW - STALE_AFTER - dt.timedelta(minutes=1)
    lost_queued = queued_job(staff, enqueued_at=old)
    lost_running = queued_job(
        staff, status=ImportJobStatus.RUNNING, enqueued_at=old, started_at=old, attempts=1
    )
    queued_job(staff, enqueued_at=NOW - dt.timedelta(minutes=1))  # still waiting its turn
    queued_job(staff, status=ImportJobStatus.DONE, enqueued_at=old)

    with django_capture_on_commit_callbacks() as enqueued:
        assert import_jobs_recover(now=NOW) == 2

    assert len(enqueued) == 1  # one callback sends both
    lost_running.refresh_from_db()
    lost_queued.refresh_from_db()
    assert lost_running.status == lost_queued.status == "queued"
    assert lost_running.enqueued_at == NOW
    assert import_jobs_recover(now=NOW) == 0


# -- the status page ------------------------------------------------------------------------


def test_the_status_page_polls_while_the_job_is_unfinished(staff_client, staff):
    job = queued_job(staff)

    page = staff_client.get(job.get_absolute_url()).content.decode()
    fragment = staff_client.get(job.get_absolute_url(), headers={"HX-Request": "true"})

    assert f'hx-get="/staff/imports/{job.pk}/" hx-trigger="every 2s"' in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert f'<a href="/staff/imports/{job.pk}/">Refresh</a>' in page
    assert fragment.content.decode().lstrip().startswith('<section id="import-status"')
    assert "<html" not in fragment.content.decode()
    assert fragment["Vary"] == "HX-Request" or "HX-Request" in fragment["Vary"]

    run_import_job(job.pk)
    done = staff_client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert b"hx-trigger" not in done.content and b"3 created" in done.content


@time_machine.travel(NOW, tick=False)
def test_the_status_page_queries_do_not_grow_with_the_report(
    staff_client, staff, django_assert_max_num_queries
):
    rows = [f"T{i},Acme {i % 7},Description,{i}" for i in range(60)]
    data = ("title,company,description,external_id\n" + "\n".join(rows) + "\n").encode()
    job = queued_job(staff)
    ImportJob.objects.filter(pk=job.pk).update(data=data, rows=60)
    run_import_job(job.pk)

    with django_assert_max_num_queries(5):
        response = staff_client.get(job.get_absolute_url())

    assert b"60 created" in response.content
    assert response.content.count(b"</a> at Acme ") == 20
    assert b"(the first 20 of 60)" in response.content


# -- who may see it -------------------------------------------------------------------------


def test_other_users_cannot_upload_or_see_import_jobs(client, staff):
    job = queued_job(staff)
    client.force_login(UserFactory())

    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.post("/staff/import/", upload("postings.csv")).status_code == 403
    assert ImportJob.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, staff):
    job = queued_job(staff)

    response = client.get(job.get_absolute_url())

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_status_page_refuses_post(staff_client, staff):
    job = queued_job(staff)

    assert staff_client.post(job.get_absolute_url()).status_code == 405


# -- running a failed job again -------------------------------------------------------------


def failed_job(staff, **fields) -> ImportJob:
    now = timezone.now()
    return queued_job(
        staff,
        **{
            "status": ImportJobStatus.FAILED,
            "attempts": MAX_ATTEMPTS,
            "created_at": now - dt.timedelta(hours=1),
            "enqueued_at": now - dt.timedelta(hours=1),
            "started_at": now - dt.timedelta(minutes=50),
            "finished_at": now - dt.timedelta(minutes=40),
            "failure": f"The import stopped {MAX_ATTEMPTS} times without finishing.",
            **fields,
        },
    )


def retry_url(job: ImportJob) -> str:
    return f"/staff/imports/{job.pk}/retry/"


def state(job: ImportJob) -> tuple:
    job.refresh_from_db()
    return (
        job.status,
        job.attempts,
        job.failure,
        job.enqueued_at,
        job.started_at,
        job.finished_at,
        job.created,
    )


def test_a_failed_import_runs_again_and_imports_the_file(
    staff_client, staff, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(import_jobs, "import_postings", lambda *a, **k: 1 / 0)
    job = queued_job(staff)
    run_import_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "ZeroDivisionError" in job.failure
    page = staff_client.get(job.get_absolute_url()).content.decode()
    assert f'<form method="post" action="/staff/imports/{job.pk}/retry/"' in page
    assert "Run this import again</button>" in page
    monkeypatch.undo()  # the bug is fixed

    with django_capture_on_commit_callbacks() as enqueued:
        response = staff_client.post(retry_url(job), follow=True)

    assert response.redirect_chain == [(job.get_absolute_url(), 302)]
    content = response.content.decode()
    assert '<p class="message message-success">The import of postings.csv is queued again.</p>' in (
        content
    )
    assert f'hx-get="/staff/imports/{job.pk}/" hx-trigger="every 2s"' in content  # polls again
    assert "Run this import again" not in content
    assert len(enqueued) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.failure) == ("queued", 0, "")
    assert job.started_at is None and job.finished_at is None
    assert job.created_by == staff and job.enqueued_at > job.created_at

    run_import_job(job.pk)  # what the enqueued message runs
    job.refresh_from_db()
    assert (job.status, job.attempts, job.accepted, job.created) == ("done", 1, True, 3)
    assert Posting.objects.filter(source="upload").count() == 3


@time_machine.travel(NOW, tick=False)
def test_a_double_click_queues_the_job_once(
    staff_client, staff, django_capture_on_commit_callbacks
):
    job = failed_job(staff)

    with django_capture_on_commit_callbacks() as enqueued:
        staff_client.post(retry_url(job))
        after_first = state(job)
        second = staff_client.post(retry_url(job), follow=True)

    assert len(enqueued) == 1
    assert state(job) == after_first and after_first[:2] == ("queued", 0)
    assert '<p class="message message-error">This import is already queued.</p>' in (
        second.content.decode()
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ImportJobStatus.QUEUED, "This import is already queued."),
        (ImportJobStatus.RUNNING, "This import is running now."),
        (
            ImportJobStatus.DONE,
            "This import has finished; to import the file again, upload it again.",
        ),
    ],
)
def test_only_a_failed_import_runs_again(
    staff_client, staff, django_capture_on_commit_callbacks, status, message
):
    job = queued_job(staff, status=status, attempts=1, started_at=NOW, finished_at=NOW)
    before = state(job)
    page = staff_client.get(job.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks() as enqueued:
        response = staff_client.post(retry_url(job), follow=True)

    assert "Run this import again" not in page
    assert response.redirect_chain == [(job.get_absolute_url(), 302)]
    assert f'<p class="message message-error">{message}</p>' in response.content.decode()
    assert state(job) == before and enqueued == []


@time_machine.travel(NOW, tick=False)
def test_a_failed_import_whose_file_was_deleted_cannot_run_again(
    staff_client, staff, django_capture_on_commit_callbacks
):
    job = failed_job(staff, finished_at=NOW - dt.timedelta(days=40))
    assert import_jobs.import_jobs_purge_files(now=NOW) == 1
    before = state(job)
    page = staff_client.get(job.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks() as enqueued:
        response = staff_client.post(retry_url(job), follow=True)

    assert "Run this import again" not in page and "/retry/" not in page
    assert "This import cannot run again: its file was deleted on 27 Nov 2026." in page
    assert (
        '<p class="message message-error">The file was deleted on 27 Nov 2026; upload it again.</p>'
        in response.content.decode()
    )
    assert state(job) == before and enqueued == []


def test_the_retry_button_works_in_the_polled_fragment(staff_client, staff):
    job = failed_job(staff)

    fragment = staff_client.get(job.get_absolute_url(), headers={"HX-Request": "true"})

    content = fragment.content.decode()
    assert (
        content.lstrip().startswith('<section id="import-status"') and "hx-trigger" not in content
    )
    assert f'action="/staff/imports/{job.pk}/retry/"' in content
    assert 'name="csrfmiddlewaretoken"' in content


def test_get_does_not_run_a_failed_import_again(staff_client, staff):
    job = failed_job(staff)
    before = state(job)

    assert staff_client.get(retry_url(job)).status_code == 405
    assert state(job) == before


def test_other_users_cannot_run_an_import_again(client, staff):
    job = failed_job(staff)
    before = state(job)

    anonymous = client.post(retry_url(job))
    client.force_login(UserFactory())
    other = client.post(retry_url(job))

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert other.status_code == 404
    assert state(job) == before


def test_retrying_a_missing_job_is_a_404(staff_client, staff):
    job = failed_job(staff)

    assert staff_client.post(f"/staff/imports/{job.pk + 1}/retry/").status_code == 404


# -- in the browser -------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.services
def test_staff_uploads_a_bad_file_then_a_good_one_in_the_browser(
    live_server, browser, celery_worker_process
):
    from tests.e2e.helpers import logged_in_page, shoot

    page = logged_in_page(browser, live_server, UserFactory(is_staff=True))
    page.goto(f"{live_server.url}/staff/import/")
    page.get_by_label("Source:").fill("partner")
    page.get_by_label("File:").set_input_files(
        files=[{"name": "latin.csv", "mimeType": "text/csv", "buffer": "Été".encode("latin-1")}]
    )
    page.get_by_role("button", name="Import").click()
    assert "is not UTF-8" in page.locator(".errorlist").inner_text()
    assert page.get_by_label("Source:").input_value() == "partner"

    page.get_by_label("File:").set_input_files(str(DATA / "invalid.csv"))
    page.get_by_role("button", name="Import").click()
    page.get_by_role("alert").wait_for(timeout=60_000)  # htmx polls until the job is done
    assert page.get_by_role("alert").inner_text().startswith("Rejected:")
    assert page.get_by_role("cell", name="'abc' is not a whole number").is_visible()
    shoot(page, "import-rejected")
    assert Posting.objects.count() == 0

    page.goto(f"{live_server.url}/staff/import/")
    page.get_by_label("File:").set_input_files(str(DATA / "postings.csv"))
    page.get_by_role("button", name="Import").click()
    page.get_by_role("status").filter(has_text="3 created").wait_for(timeout=60_000)
    shoot(page, "import-done")
    assert Posting.objects.count() == 3
    page.goto(f"{live_server.url}/staff/import/")
    assert page.locator("table.import-jobs tbody tr").count() == 2
    shoot(page, "import-list")


@pytest.mark.browser
@pytest.mark.services
def test_staff_runs_a_failed_import_again_in_the_browser(
    live_server, browser, celery_worker_process
):
    from tests.e2e.helpers import logged_in_page, shoot

    staff = UserFactory(is_staff=True)
    job = failed_job(staff)
    page = logged_in_page(browser, live_server, staff)
    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    assert page.get_by_role("alert").inner_text().startswith("The import stopped 3 times")
    shoot(page, "import-failed")

    page.get_by_role("button", name="Run this import again").click()
    page.get_by_role("status").filter(has_text="3 created").wait_for(timeout=60_000)
    shoot(page, "import-retried")
    job.refresh_from_db()
    assert (job.status, job.attempts, job.created) == ("done", 1, 3)


def test_a_job_another_worker_holds_is_tried_again_later(transactional_db, staff):
    import psycopg

    from tests.conftest import _database_url_for_tests

    job = queued_job(staff, status=ImportJobStatus.RUNNING, attempts=1)
    with psycopg.connect(_database_url_for_tests()) as other_worker:
        other_worker.execute("SELECT 1 FROM jobs_importjob WHERE id = %s FOR UPDATE", [job.pk])

        with pytest.raises(import_jobs.ImportJobBusy):
            run_import_job(job.pk)  # called directly, the task's retry raises the reason

    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)
    run_import_job(job.pk)  # the lock is gone: the retry imports
    job.refresh_from_db()
    assert (job.status, job.created) == ("done", 3)


def test_the_admin_lists_import_jobs_read_only_without_the_file(client, staff):
    job = queued_job(staff)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    listing = client.get("/admin/jobs/importjob/")
    detail = client.get(f"/admin/jobs/importjob/{job.pk}/change/")

    assert listing.status_code == detail.status_code == 200
    assert b"postings.csv" in listing.content and b"postings.csv" in detail.content
    assert b"Northwind" not in detail.content  # the file's content stays out of the page
    assert client.get("/admin/jobs/importjob/add/").status_code == 403
