import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY

from accounts import services
from accounts.models import Profile, User
from tests.factories import DEFAULT_PASSWORD, ApplicationFactory, CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_user(client, user, totp_user):
    """The user with rows in several apps: email address, profile, MFA, a company membership;
    signed in on `client`."""
    from jobs.models import CompanyMembership

    client.force_login(user)
    Profile.objects.filter(user=user).update(display_name="Ada", skills=["Python"])
    CompanyMembership.objects.create(company=CompanyFactory(), user=user)
    return user


def test_export_contains_what_the_user_owns_and_no_secrets(owner_client, rich_user, totp_user):
    response = owner_client.get("/account/data/export.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="jobtrail-export-')
    payload = json.loads(response.content)
    data = payload["data"]
    assert payload["user"] == rich_user.email
    assert data["accounts.user"][0]["email"] == rich_user.email
    assert data["accounts.profile"][0]["skills"] == ["Python"]
    assert data["account.emailaddress"][0]["email"] == rich_user.email
    assert {a["type"] for a in data["mfa.authenticator"]} == {"totp", "recovery_codes"}
    assert len(data["jobs.companymembership"]) == 1
    text = response.content.decode()
    assert "password" not in data["accounts.user"][0]
    assert rich_user.password not in text
    assert all("data" not in row for row in data["mfa.authenticator"])
    secrets = [
        value
        for authenticator in Authenticator.objects.filter(user=rich_user)
        for value in authenticator.data.values()
        if isinstance(value, str) and len(value) >= 16
    ]
    assert len(secrets) == 2  # the TOTP secret and the recovery codes' seed
    assert not any(secret in text for secret in secrets)
    assert totp_user[1] not in text  # the plain TOTP secret either


def test_export_of_user_b_holds_only_user_b_rows(client, rich_user):
    other = UserFactory()
    client.force_login(other)
    payload = client.get("/account/data/export.json").json()
    text = json.dumps(payload)
    assert rich_user.email not in text
    assert payload["user"] == other.email
    assert [row["id"] for row in payload["data"]["accounts.user"]] == [other.pk]
    assert "mfa.authenticator" not in payload["data"]
    assert "jobs.companymembership" not in payload["data"]


def test_export_needs_a_login(client):
    response = client.get("/account/data/export.json")
    assert response.status_code == 302


def test_your_data_page_lists_what_is_kept(owner_client, rich_user):
    html = owner_client.get("/account/data/").content.decode()
    assert "Company membership" in html
    assert 'aria-current="page">Your data<' in html


def test_delete_needs_the_right_password(owner_client, user):
    response = owner_client.post("/account/delete/", {"password": "wrong", "confirm": "on"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_password_error"' in html
    assert "That is not your current password." in html
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_needs_the_confirmation(owner_client, user):
    response = owner_client.post("/account/delete/", {"password": DEFAULT_PASSWORD})
    assert 'id="id_confirm_error"' in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_refuses_get(owner_client, user):
    assert owner_client.get("/account/delete/").status_code == 405
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_removes_every_row_and_logs_out(owner_client, rich_user):
    from jobs.models import Company, CompanyMembership

    other = UserFactory()
    company_ids = list(Company.objects.values_list("pk", flat=True))
    response = owner_client.post(
        "/account/delete/", {"password": DEFAULT_PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    assert SESSION_KEY not in owner_client.session
    assert not User.objects.filter(pk=rich_user.pk).exists()
    assert not Profile.objects.filter(user_id=rich_user.pk).exists()
    assert not EmailAddress.objects.filter(user_id=rich_user.pk).exists()
    assert not Authenticator.objects.filter(user_id=rich_user.pk).exists()
    assert not CompanyMembership.objects.filter(user_id=rich_user.pk).exists()
    # Shared things stay: the company and the other user.
    assert list(Company.objects.values_list("pk", flat=True)) == company_ids
    assert EmailAddress.objects.filter(user=other).exists()
    assert services.user_data_export(user=other)["data"]["accounts.user"][0]["id"] == other.pk


def test_no_url_reaches_another_users_data(client, rich_user):
    """Profile and export URLs carry no id: a guessed id or parameter changes nothing."""
    other = UserFactory()
    client.force_login(other)
    assert client.get(f"/account/profile/{rich_user.pk}/").status_code == 404
    assert client.get(f"/account/data/{rich_user.pk}/export.json").status_code == 404
    payload = client.get(f"/account/data/export.json?user={rich_user.pk}").json()
    assert payload["user"] == other.email
    assert rich_user.email not in json.dumps(payload)


def test_export_holds_applications_and_the_name_of_their_file(owner_client, user):
    """An application has a file field: the export gives its stored name, not a 500."""
    from tracking.models import Application

    without = ApplicationFactory(user=user, title="Data engineer")
    with_file = ApplicationFactory(user=user, title="Platform engineer")
    Application.objects.filter(pk=with_file.pk).update(document="applications/1/cv.pdf")
    response = owner_client.get("/account/data/export.json")
    assert response.status_code == 200
    rows = {row["title"]: row for row in response.json()["data"]["tracking.application"]}
    assert rows[without.title]["document"] == ""
    assert rows[with_file.title]["document"] == "applications/1/cv.pdf"
