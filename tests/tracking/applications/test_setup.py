"""Stages and tracking settings are made with the account, so reading a page never writes."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from tracking.models import Stage, TrackingSettings

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def test_a_new_account_starts_with_its_stages_and_settings():
    user = UserFactory()
    assert [s.key for s in Stage.objects.for_user(user)] == [
        "saved", "applied", "screening", "interview", "offer", "accepted", "rejected",
        "withdrawn", "no_response",
    ]  # fmt: skip
    assert TrackingSettings.objects.filter(user=user).exists()


def test_signing_up_through_the_form_sets_the_tracker_up(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    from accounts.models import User

    user = User.objects.get(email="new@example.com")
    assert Stage.objects.for_user(user).count() == 9
    assert TrackingSettings.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "name", ["tracking:board", "tracking:list", "tracking:settings", "tracking:dashboard"]
)
def test_reading_a_tracker_page_writes_nothing(owner_client, name):
    with CaptureQueriesContext(connection) as queries:
        response = owner_client.get(reverse(name))
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    # The session row may be touched by the login machinery; nothing of the tracker is.
    assert [w for w in writes if "tracking_" in w] == []


def test_the_board_of_an_account_without_stages_reads_without_creating_them(owner_client, user):
    Stage.objects.for_user(user).delete()
    TrackingSettings.objects.filter(user=user).delete()
    assert owner_client.get(reverse("tracking:board")).status_code == 200
    assert not Stage.objects.for_user(user).exists()
    assert not TrackingSettings.objects.filter(user=user).exists()


def test_the_backfill_gives_older_accounts_what_they_lack():
    old = UserFactory()
    Stage.objects.for_user(old).delete()
    TrackingSettings.objects.filter(user=old).delete()
    kept = UserFactory()
    renamed = Stage.objects.for_user(kept).get(key="applied")
    renamed.name = "Sent"
    renamed.save()
    backfill = importlib.import_module("tracking.migrations.0005_backfill_stages").backfill
    backfill(apps, None)
    assert Stage.objects.for_user(old).count() == 9
    assert TrackingSettings.objects.filter(user=old).exists()
    assert Stage.objects.for_user(kept).count() == 9
    assert Stage.objects.for_user(kept).get(key="applied").name == "Sent"
