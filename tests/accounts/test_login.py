import pytest
from django.contrib.auth import SESSION_KEY

from tests.accounts.conftest import totp_code
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def test_login_page_labels_every_field(client):
    html = client.get(LOGIN).content.decode()
    assert '<label for="id_login">Email' in html
    assert '<label for="id_password">Password' in html
    assert "/accounts/password/reset/" in html


def test_login_with_email_and_password(client, user):
    response = client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_wrong_password_keeps_the_email_and_logs_nobody_in(client, user):
    response = client.post(LOGIN, {"login": user.email, "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in html
    assert f'value="{user.email}"' in html
    assert SESSION_KEY not in client.session


@pytest.mark.services
def test_failed_logins_are_rate_limited_per_account(client, user):
    """The counters live in the shared Redis cache, so every web process sees them."""
    for _ in range(5):
        response = client.post(LOGIN, {"login": user.email, "password": "wrong"})
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.services
def test_the_account_limit_is_one_whatever_host_name_the_requests_use(client, user):
    # allauth keys it by the current site, which without the sites framework is the Host header:
    # each accepted host name would have had an allowance of its own.
    hosts = ["localhost", "127.0.0.1", "testserver"]
    for attempt in range(5):
        response = client.post(
            LOGIN, {"login": user.email, "password": "wrong"}, HTTP_HOST=hosts[attempt % 3]
        )
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post(
        LOGIN, {"login": user.email.upper(), "password": DEFAULT_PASSWORD}, HTTP_HOST="localhost"
    )
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.mark.services
def test_the_login_limit_counts_in_redis(client, user):
    from django.core.cache import cache

    client.post(LOGIN, {"login": user.email, "password": "wrong"})
    keys = cache._cache.get_client().keys("*login_failed*")
    assert keys, "allauth's rate-limit counter should be in Redis"


def test_logout_refuses_get(owner_client, user):
    response = owner_client.get("/accounts/logout/")
    assert response.status_code == 200
    assert '<form method="post" action="/accounts/logout/"' in response.content.decode()
    assert owner_client.session[SESSION_KEY] == str(user.pk)


def test_logout_by_post(owner_client):
    response = owner_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert SESSION_KEY not in owner_client.session


def test_login_with_totp_asks_for_a_code(client, totp_user, time_machine):
    user, secret = totp_user
    time_machine.move_to("2030-01-01 12:00:00Z", tick=False)
    response = client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert SESSION_KEY not in client.session

    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_code_error"' in html
    assert "Incorrect code." in html
    assert SESSION_KEY not in client.session

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_a_recovery_code_also_logs_in(client, totp_user):
    from allauth.mfa.models import Authenticator

    user, _secret = totp_user
    codes = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_unknown_email_and_wrong_password_look_the_same(client, user):
    UserFactory(email="other@example.com")
    known = client.post(LOGIN, {"login": user.email, "password": "nope"}).content.decode()
    unknown = client.post(LOGIN, {"login": "ghost@example.com", "password": "nope"})
    assert "not correct" in known
    assert "not correct" in unknown.content.decode()
