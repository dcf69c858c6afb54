"""Every allauth page we can reach renders inside our layout, with our field markup."""

import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

ENTRANCE_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/confirm-email/",
    "/accounts/confirm-email/not-a-key/",
    "/accounts/password/reset/key/1-not-a-key/",
]


@pytest.mark.parametrize("path", ENTRANCE_PAGES)
def test_entrance_pages_render_in_our_layout(client, path):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="panel entrance-panel"' in html
    assert 'class="skip-link"' in html


MANAGE_PAGES = [
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/logout/",
]


@pytest.mark.parametrize("path", MANAGE_PAGES)
def test_settings_pages_have_the_settings_nav(owner_client, path):
    response = owner_client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<nav class="settings-nav" aria-label="Account settings">' in html
    for label in ("Profile", "Email", "Password", "Two-factor", "Your data"):
        assert f">{label}</a>" in html


def test_mfa_management_pages_render(client, totp_user):
    user, _secret = totp_user
    client.force_login(user)
    client.post("/accounts/reauthenticate/", {"password": DEFAULT_PASSWORD})
    for name in (
        "mfa_index",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert 'class="settings-nav"' in response.content.decode()


@pytest.mark.parametrize("path", ["/account/data/", "/account/data/export.json"])
def test_your_data_queries_do_not_grow_with_the_rows(client, path):
    """One query per kind of row (the deletion collector's), not one per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jobs.models import CompanyMembership
    from tests.factories import CompanyFactory, UserFactory

    counts = []
    for rows in (1, 12):
        member = UserFactory()
        for _ in range(rows):
            CompanyMembership.objects.create(company=CompanyFactory(), user=member)
        client.force_login(member)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 40
