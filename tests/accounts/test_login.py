import pytest
from django.contrib.auth import SESSION_KEY

from tests.accounts.conftest import totp_code
from tests.factories import DEFAULT_PASSWORD, UserFactory

TOO_MANY = "Too many attempts to log in. Wait a few minutes"

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
    assert "That email and password do not match an account." in html
    assert f'value="{user.email}"' in html
    assert SESSION_KEY not in client.session


@pytest.mark.services
def test_failed_logins_are_rate_limited_per_account(client, user):
    """The counters live in the shared Redis cache, so every web process sees them."""
    for _ in range(5):
        response = client.post(LOGIN, {"login": user.email, "password": "wrong"})
        assert TOO_MANY not in response.content.decode()
    response = client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert TOO_MANY in response.content.decode()
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
        assert TOO_MANY not in response.content.decode()
    response = client.post(
        LOGIN, {"login": user.email.upper(), "password": DEFAULT_PASSWORD}, HTTP_HOST="localhost"
    )
    assert TOO_MANY in response.content.decode()
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
    assert "That code is not right: check it and try again." in html
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
    assert "do not match an account" in known
    assert "do not match an account" in unknown.content.decode()


# Issue 16, finding 6: one address's failed logins must not lock everyone on it out.


def _fail_ten_logins_with_random_emails(client, **headers):
    for attempt in range(10):
        response = client.post(
            LOGIN, {"login": f"random{attempt}@example.com", "password": "wrong"}, **headers
        )
        assert TOO_MANY not in response.content.decode()


@pytest.mark.services
def test_behind_a_trusted_proxy_each_client_has_its_own_failed_login_limit(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # every request comes from the TLS proxy
    _fail_ten_logins_with_random_emails(client, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    attacker = client.post(
        LOGIN,
        {"login": "random11@example.com", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert TOO_MANY in attacker.content.decode()  # still limited

    from django.test import Client

    other = Client()
    response = other.post(
        LOGIN,
        {"login": user.email, "password": DEFAULT_PASSWORD},
        # A client cannot pick its address: the proxy appends the real one after its claim.
        HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9",
        **proxy,
    )
    assert response.status_code == 302
    assert other.session[SESSION_KEY] == str(user.pk)


@pytest.mark.services
def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, user):
    _fail_ten_logins_with_random_emails(client, HTTP_X_FORWARDED_FOR="198.51.100.1")
    response = client.post(
        LOGIN,
        {"login": "random11@example.com", "password": "wrong"},
        HTTP_X_FORWARDED_FOR="198.51.100.99",  # a made-up address buys no new allowance
    )
    assert TOO_MANY in response.content.decode()


@pytest.mark.services
def test_a_browser_that_signed_in_before_keeps_working_from_an_address_under_attack(user):
    from django.test import Client

    owner = Client()
    owner.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    owner.post("/accounts/logout/")

    attacker = Client()  # same address (REMOTE_ADDR 127.0.0.1), no cookie
    _fail_ten_logins_with_random_emails(attacker)
    refused = attacker.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert TOO_MANY in refused.content.decode()

    response = owner.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert owner.session[SESSION_KEY] == str(user.pk)


@pytest.mark.services
def test_the_device_cookie_does_not_lift_the_per_account_limit(user):
    from django.test import Client

    owner = Client()
    owner.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    owner.post("/accounts/logout/")
    for _ in range(5):
        owner.post(LOGIN, {"login": user.email, "password": "wrong"})
    response = owner.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert TOO_MANY in response.content.decode()


def test_the_client_address_comes_from_the_configured_number_of_proxies(rf, settings):
    from config.clientip import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2, 3.3.3.3")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "3.3.3.3"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "2.2.2.2"
    settings.TRUSTED_PROXY_COUNT = 5  # fewer hops than configured: no 500
    assert client_ip(request) == "1.1.1.1"
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(garbage) == "10.0.0.2"


def test_staff_land_on_the_review_queue_and_see_the_staff_navigation(client):
    staff = UserFactory(is_staff=True)
    response = client.post(LOGIN, {"login": staff.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/staff/review/"
    html = client.get("/staff/review/").content.decode()
    nav = html.split('aria-label="Main"')[1].split("</nav>")[0]
    assert ">Review</a>" in nav and ">Sources</a>" in nav and ">Import</a>" in nav
    assert 'href="/staff/review/" aria-current="page"' in nav


def test_a_next_url_still_wins_for_staff(client):
    staff = UserFactory(is_staff=True)
    response = client.post(
        f"{LOGIN}?next=/jobs/", {"login": staff.email, "password": DEFAULT_PASSWORD}
    )
    assert response["Location"] == "/jobs/"


def test_job_seekers_land_on_their_dashboard_with_their_navigation(client, user):
    response = client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response["Location"] == "/"
    nav = client.get("/").content.decode().split('aria-label="Main"')[1].split("</nav>")[0]
    assert ">Applications</a>" in nav and ">Review</a>" not in nav
