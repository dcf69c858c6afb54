"""Issue 16 point 4: uploaded files go when replaced, when their row goes and on account
deletion (after commit; a rollback keeps them), and a beat task sweeps orphans. Every test looks
at the storage (a tmp MEDIA_ROOT), not only at the rows."""

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from config.media import media_orphans_sweep
from tests.factories import DEFAULT_PASSWORD, ApplicationFactory
from tracking.applications import services
from tracking.models import Application

pytestmark = pytest.mark.django_db

FORM = {"company_name": "Acme", "title": "Backend dev"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def app(user):
    return ApplicationFactory(user=user)


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _upload(client, app, name: str, data: bytes = b"%PDF-1.4 hello") -> str:
    pdf = SimpleUploadedFile(name, data, "application/pdf")
    response = client.post(f"/applications/{app.pk}/edit/", {**FORM, "document": pdf})
    assert response.status_code == 302
    app.refresh_from_db()
    return app.document.name


def test_a_replaced_file_is_deleted_from_storage(
    owner_client, app, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _upload(owner_client, app, "cv-v1.pdf")
    assert _files(media) == [first]
    with django_capture_on_commit_callbacks(execute=True):
        second = _upload(owner_client, app, "cv-v2.pdf")
    assert _files(media) == [second]


def test_clearing_the_file_deletes_it(owner_client, app, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(owner_client, app, "cv.pdf")
        response = owner_client.post(
            f"/applications/{app.pk}/edit/", {**FORM, "document-clear": "on"}
        )
    assert response.status_code == 302
    assert _files(media) == []


def test_deleting_the_application_deletes_its_file(
    owner_client, app, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(owner_client, app, "cv.pdf")
        response = owner_client.post(f"/applications/{app.pk}/delete/")
    assert response.status_code == 302
    assert not Application.objects.filter(pk=app.pk).exists()
    assert _files(media) == []


def test_deleting_the_account_deletes_every_file_of_it(
    owner_client, user, media, django_capture_on_commit_callbacks
):
    apps = [ApplicationFactory(user=user) for _ in range(2)]
    keep = ApplicationFactory()  # someone else's
    with django_capture_on_commit_callbacks(execute=True):
        for i, app in enumerate(apps):
            _upload(owner_client, app, f"cv-{i}.pdf")
        keep.document = SimpleUploadedFile("theirs.pdf", b"%PDF other")
        keep.save()
    assert len(_files(media)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            "/account/delete/", {"password": DEFAULT_PASSWORD, "confirm": "on"}
        )
    assert response.status_code == 302
    keep.refresh_from_db()
    assert _files(media) == [keep.document.name]


def test_a_rolled_back_delete_keeps_the_file(
    owner_client, app, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        name = _upload(owner_client, app, "cv.pdf")
    pk = app.pk
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.application_delete(application=app)
        raise RuntimeError("something after the delete failed")
    assert callbacks == []
    assert Application.objects.filter(pk=pk).exists()
    assert _files(media) == [name]


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_the_sweep_removes_old_orphans_and_keeps_referenced_and_young_files(app, media):
    app.document = SimpleUploadedFile("cv.pdf", b"%PDF kept")
    app.save()
    kept = media / app.document.name
    orphan = media / "applications" / "999" / "abc" / "lost.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"lost")
    young = media / "applications" / "998" / "def" / "in-flight.pdf"
    young.parent.mkdir(parents=True)
    young.write_bytes(b"being uploaded")
    day = 24 * 3600
    for path in (kept, orphan, orphan.parent, orphan.parent.parent):
        _age(path, 2 * day)

    removed = media_orphans_sweep(grace=timedelta(days=1))

    assert removed == ["applications/999/abc/lost.pdf"]
    assert not orphan.exists() and not orphan.parent.exists()  # empty folders go too
    assert kept.read_bytes() == b"%PDF kept"
    assert young.exists()


def test_the_sweep_is_on_the_beat_schedule_and_runs_as_a_task(app, media):
    from config.tasks import sweep_media_orphans

    entry = django_settings.CELERY_BEAT_SCHEDULE["media-sweep-orphans"]
    assert entry["task"] == "config.tasks.sweep_media_orphans"
    orphan = media / "stray.txt"
    media.mkdir(parents=True, exist_ok=True)
    orphan.write_text("x")
    _age(orphan, 10 * 24 * 3600)
    assert sweep_media_orphans.apply().get() == 1
    assert not orphan.exists()
