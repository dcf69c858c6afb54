"""Issue 16, point 10: every date a person enters stays between 1900 and 2200 (config.dates).

A reminder at 9999-12-31 23:59 was accepted; shown in UTC+14 or snoozed by a day it overflowed
Python's calendar (OverflowError: a 500 on the board, the list, the dashboard, the application
page, the CSV export and the calendar feed).
"""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from config.dates import LATEST, RANGE_MESSAGE, clamp, in_range
from jobs.employer.services import JobsError, posting_extend
from jobs.imports import importers
from jobs.models import CompanyMembership
from tests.factories import (
    ApplicationFactory,
    InterviewFactory,
    PostingFactory,
    ReminderFactory,
    StageChangeFactory,
    UserFactory,
)
from tracking.applications.services import calendar_token_regenerate
from tracking.models import Reminder

pytestmark = pytest.mark.django_db

KIRITIMATI = "Pacific/Kiritimati"  # UTC+14
FAR = dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC)


def _login(user, tz=KIRITIMATI) -> Client:
    user.profile.timezone = tz
    user.profile.save()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_the_range_and_its_bounds():
    assert in_range(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert not in_range(FAR)
    assert not in_range(dt.date(1, 1, 1))
    assert clamp(FAR) == LATEST
    assert clamp(dt.date(1, 1, 1)) == dt.date(1900, 1, 1)
    assert clamp(None) is None


def test_a_reminder_at_the_end_of_the_calendar_is_refused_on_its_field(user):
    application = ApplicationFactory(user=user)
    client = _login(user, "Etc/GMT+12")
    response = client.post(
        reverse("tracking:reminder_add", args=[application.pk]),
        {"due_at": "9999-12-31T23:59", "message": "Far away"},
    )
    assert response.status_code == 400
    assert RANGE_MESSAGE in response.context["reminder_form"].errors["due_at"]
    assert not Reminder.objects.exists()


def test_snoozing_past_the_range_is_refused_with_a_message(user):
    reminder = ReminderFactory(
        application=ApplicationFactory(user=user), due_at=LATEST - dt.timedelta(days=2)
    )
    client = _login(user)
    response = client.post(reverse("tracking:reminder_snooze", args=[reminder.pk]), {"by": "1w"})
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.due_at == LATEST - dt.timedelta(days=2)
    page = client.get(response.url)
    assert "past 2200" in page.content.decode()


def test_an_existing_reminder_beyond_the_range_does_not_break_any_page(user):
    application = ApplicationFactory(user=user)
    reminder = ReminderFactory(application=application, due_at=FAR)
    InterviewFactory(application=application, starts_at=FAR)
    StageChangeFactory(application=application, changed_at=FAR)
    token = calendar_token_regenerate(user=user)
    client = _login(user)
    for url in (
        reverse("home"),
        reverse("tracking:board"),
        reverse("tracking:list"),
        reverse("tracking:dashboard"),
        reverse("tracking:application", args=[application.pk]),
        reverse("tracking:export_applications"),
        reverse("tracking:export_stage_changes"),
        reverse("tracking:calendar_feed", args=[token.token]),
    ):
        assert client.get(url).status_code == 200, url
    # Read back at the bound; snoozing it is refused, not a 500.
    assert Reminder.objects.get(pk=reminder.pk).due_at == LATEST
    snooze = client.post(reverse("tracking:reminder_snooze", args=[reminder.pk]), {"by": "1d"})
    assert snooze.status_code == 302


def test_the_migration_clamps_stored_dates_beyond_the_range(user):
    reminder = ReminderFactory(application=ApplicationFactory(user=user))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tracking_reminder SET due_at = '9999-12-31 23:59+00' WHERE id = %s",
            [reminder.pk],
        )
    migration = importlib.import_module("tracking.migrations.0010_bounded_dates")
    migration.clamp_existing(apps, None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT due_at FROM tracking_reminder WHERE id = %s", [reminder.pk])
        assert cursor.fetchone()[0] == LATEST


@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        ("tracking:interview_add", {"date": "9999-12-31", "start_time": "10:00",
                                    "end_time": "11:00", "timezone": "UTC", "kind": "video"},
         "date"),
        ("tracking:edit", {"company_name": "Acme", "title": "Dev",
                           "applied_at": "0001-01-01T00:00"}, "applied_at"),
        ("tracking:change_edit", {"changed_at": "0001-01-01T00:00"}, "changed_at"),
    ],
)  # fmt: skip
def test_forms_refuse_a_date_outside_the_range_on_its_field(user, name, data, field):
    application = ApplicationFactory(user=user)
    change = StageChangeFactory(application=application)
    pk = change.pk if name == "tracking:change_edit" else application.pk
    client = _login(user, "Etc/GMT+12")
    response = client.post(reverse(name, args=[pk]), data)
    assert response.status_code in (200, 400)
    assert RANGE_MESSAGE in response.content.decode()
    assert not InterviewFactory._meta.model.objects.exists()


def test_a_dashboard_date_filter_outside_the_range_is_an_error(user):
    ApplicationFactory(user=user)
    client = _login(user)
    response = client.get(reverse("tracking:dashboard"), {"range": "custom", "start": "0001-01-01"})
    assert response.status_code == 200
    assert RANGE_MESSAGE in response.content.decode()


def test_extending_a_posting_past_the_range_is_refused():
    employer = UserFactory()
    posting = PostingFactory(expires_at=LATEST - dt.timedelta(days=3))
    CompanyMembership.objects.create(company=posting.company, user=employer, role="owner")
    with pytest.raises(JobsError, match="2200"):
        posting_extend(posting=posting, by=employer, days=30)
    with pytest.raises(JobsError, match="2200"):
        posting_extend(posting=posting, by=employer, deadline=dt.date(9999, 1, 1))


def test_the_importer_reports_a_deadline_outside_the_range():
    with pytest.raises(ValueError, match="1900 and 2200"):
        importers._date("9999-12-31")
    with pytest.raises(ValueError, match="1900 and 2200"):
        importers._datetime("0001-01-01T00:00:00")
