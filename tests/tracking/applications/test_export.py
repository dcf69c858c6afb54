import csv
import io

import pytest

from accounts.services import user_data_export
from config.timezones import user_timezone
from tests.factories import ApplicationFactory, InterviewFactory
from tracking.applications import services
from tracking.models import StageChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(user):
    app = services.application_create_external(user=user, company_name="Acme, Inc.", title="Dev")
    other = services.application_create_external(user=user, company_name="Globex", title="SRE")
    for key in ("applied", "screening", "interview"):
        services.application_move(
            application=app, stage=services.stage_for_key(user=user, key=key), by=user
        )
    services.application_move(
        application=other, stage=services.stage_for_key(user=user, key="rejected"), by=user
    )
    services.note_add(application=app, body="Prepared a *demo*")
    services.reminder_create(
        application=app,
        due_at=services.quick_pick_due(pick="3d", tz=user_timezone(user)),
        message="Chase",
    )
    services.contact_add(application=app, name="Rita Recruiter", email="rita@example.com")
    InterviewFactory(application=app)
    services.calendar_token_regenerate(user=user)
    services.tracking_setup(user=user)
    return app, other


def rows(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_applications_csv_has_the_current_stage_and_dates(owner_client, journey, other_user):
    ApplicationFactory(user=other_user, company_name="Not mine")
    data = rows(owner_client.get("/applications/export/applications.csv"))
    assert [(r["company"], r["stage"]) for r in data] == [
        ("Acme, Inc.", "Interview"),
        ("Globex", "Rejected"),
    ]
    assert data[0]["applied_at"] and not data[1]["applied_at"]


def test_stage_changes_csv_has_every_change(owner_client, user, journey):
    data = rows(owner_client.get("/applications/export/stage-changes.csv"))
    assert len(data) == StageChange.objects.for_user(user).count() == 6
    acme = [(r["from_stage"], r["to_stage"]) for r in data if r["company"] == "Acme, Inc."]
    assert acme == [
        ("", "Saved"),
        ("Saved", "Applied"),
        ("Applied", "Screening"),
        ("Screening", "Interview"),
    ]
    assert all(r["changed_at"] for r in data)


def test_exports_need_login(client):
    assert client.get("/applications/export/applications.csv").status_code == 302


def test_account_data_export_includes_the_whole_tracker(user, journey):
    data = user_data_export(user=user)["data"]
    for label in [
        "tracking.stage",
        "tracking.application",
        "tracking.stagechange",
        "tracking.note",
        "tracking.reminder",
        "tracking.contact",
        "tracking.interview",
        "tracking.trackingsettings",
        "tracking.calendarfeedtoken",
    ]:
        assert data.get(label), label
    assert len(data["tracking.stagechange"]) == 6
    assert data["tracking.note"][0]["body"] == "Prepared a *demo*"
