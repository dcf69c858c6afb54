from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar

from tests.factories import ApplicationFactory, UserFactory
from tracking.applications import services

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def events(body: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_feed_carries_interviews_and_reminders_at_the_right_times_across_dst(client, user):
    app = ApplicationFactory(user=user, title="Platform engineer", company_name="Northwind")
    # Friday 20 March 2026: Berlin is on CET (UTC+1); DST starts on Sunday 29 March.
    with time_machine.travel(datetime(2026, 3, 20, 12, tzinfo=UTC), tick=False):
        before = services.interview_create(
            application=app,
            starts_at=datetime(2026, 3, 25, 10, 0, tzinfo=BERLIN),
            ends_at=datetime(2026, 3, 25, 11, 0, tzinfo=BERLIN),
            timezone_name="Europe/Berlin",
            kind="video",
            location="https://meet.example/abc",
        )
        after = services.interview_create(
            application=app,
            starts_at=datetime(2026, 4, 2, 10, 0, tzinfo=BERLIN),
            ends_at=datetime(2026, 4, 2, 10, 45, tzinfo=BERLIN),
            timezone_name="Europe/Berlin",
            kind="onsite",
        )
        due = services.quick_pick_due(pick="1w", tz=BERLIN)  # Friday 27 March 09:00 CET
        reminder = services.reminder_create(application=app, due_at=due, message="Nudge")
        later = services.reminder_create(
            application=app, due_at=services.quick_pick_due(
                pick="1w", tz=BERLIN, now=datetime(2026, 3, 24, 12, tzinfo=UTC)
            ), message="After the switch",
        )  # fmt: skip
        token = services.calendar_token_regenerate(user=user)
        response = client.get(f"/calendar/{token.token}.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    found = events(response.content)

    winter = found[f"interview-{before.pk}@jobtrail"]
    start = winter["DTSTART"].dt
    assert (start.hour, start.minute) == (10, 0) and str(start.tzinfo) == "Europe/Berlin"
    assert start.astimezone(UTC) == datetime(2026, 3, 25, 9, 0, tzinfo=UTC)
    assert winter["DTEND"].dt.astimezone(UTC) == datetime(2026, 3, 25, 10, 0, tzinfo=UTC)
    assert "Northwind" in str(winter["SUMMARY"])

    summer = found[f"interview-{after.pk}@jobtrail"]
    start = summer["DTSTART"].dt
    assert (start.hour, start.minute) == (10, 0) and str(start.tzinfo) == "Europe/Berlin"
    assert start.astimezone(UTC) == datetime(2026, 4, 2, 8, 0, tzinfo=UTC)  # CEST: UTC+2
    assert summer["DTEND"].dt - start == timedelta(minutes=45)

    nudge = found[f"reminder-{reminder.pk}@jobtrail"]["DTSTART"].dt
    assert nudge == datetime(2026, 3, 27, 8, 0, tzinfo=UTC)  # 09:00 CET
    switched = found[f"reminder-{later.pk}@jobtrail"]["DTSTART"].dt
    assert switched == datetime(2026, 3, 31, 7, 0, tzinfo=UTC)  # 09:00 CEST


def test_feed_holds_only_its_owners_events(client, user, other_user):
    mine = ApplicationFactory(user=user, title="Mine")
    theirs = ApplicationFactory(user=other_user, title="Theirs")
    for app in (mine, theirs):
        services.reminder_create(
            application=app, due_at=datetime.now(UTC) + timedelta(days=1), message=app.title
        )
    token = services.calendar_token_regenerate(user=user)
    body = client.get(f"/calendar/{token.token}.ics").content.decode()
    assert "Mine" in body and "Theirs" not in body


def test_revoked_regenerated_and_unknown_tokens_give_404(client, user):
    old = services.calendar_token_regenerate(user=user)
    new = services.calendar_token_regenerate(user=user)
    assert client.get(f"/calendar/{old.token}.ics").status_code == 404
    assert client.get(f"/calendar/{new.token}.ics").status_code == 200
    services.calendar_token_revoke(user=user)
    assert client.get(f"/calendar/{new.token}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_feed_of_a_deactivated_user_is_gone(client):
    user = UserFactory()
    token = services.calendar_token_regenerate(user=user)
    user.is_active = False
    user.save()
    assert client.get(f"/calendar/{token.token}.ics").status_code == 404


def test_settings_page_creates_and_revokes_the_feed_url(owner_client, user):
    assert "Create my calendar feed" in owner_client.get("/applications/settings/").content.decode()
    owner_client.post("/applications/calendar/regenerate/")
    token = services.calendar_token_for(user=user)
    assert token.token in owner_client.get("/applications/settings/").content.decode()
    owner_client.post("/applications/calendar/revoke/")
    assert services.calendar_token_for(user=user) is None
    assert owner_client.get("/applications/calendar/revoke/").status_code == 405


def test_the_first_feed_does_not_speak_of_an_old_one(owner_client, user):
    first = owner_client.post("/applications/calendar/regenerate/", follow=True)
    assert "Your private calendar URL is ready." in first.content.decode()
    assert "stopped working" not in first.content.decode()
    second = owner_client.post("/applications/calendar/regenerate/", follow=True)
    assert "the old one stopped working" in second.content.decode()
