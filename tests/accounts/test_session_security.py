"""Issue 10, point 4: brute force on the two-factor step is limited, sessions rotate on login,
logout and a password change end the sessions they should. The login limit, the GET-safe logout
and the reset that reveals no account are in test_login.py and test_password.py."""

import hashlib
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.accounts.conftest import link_in_last_mail, totp_code
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"
PRIVATE_PAGES = ["/saved/", "/dashboard/"]
NEW = "a brand new passphrase 5512"
TOO_MANY = "Too many attempts to log in. Wait a few minutes"


def _session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _session_exists(key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def _client_with_session(key: str) -> Client:
    """Another browser that presents `key` as its session cookie (a stolen or planted one)."""
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    return replay


def _is_signed_in(client: Client) -> bool:
    """Whether `client` gets the private pages (True) or the login redirect (False)."""
    answers = set()
    for page in PRIVATE_PAGES:
        response = client.get(page)
        if response.status_code == 302:
            assert response["Location"] == f"{LOGIN}?next={page}"
        else:
            assert response.status_code == 200, (page, response.status_code)
        answers.add(response.status_code == 200)
    (answer,) = answers  # the private pages agree about who is signed in
    return answer


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


# --- brute force on the two-factor code ----------------------------------------------------


@pytest.fixture
def mfa_time(time_machine):
    """A moment away from the fixture's activation code, clear of a 30 s window edge."""
    time_machine.move_to("2030-01-01 12:00:05Z", tick=False)
    return time_machine


@pytest.mark.services
def test_wrong_two_factor_codes_are_rate_limited_per_account(client, totp_user, mfa_time):
    user, secret = totp_user
    assert (
        client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})["Location"] == MFA
    )
    for _ in range(5):  # ACCOUNT_RATE_LIMITS["login_failed"]: 5 per 5 minutes per account
        html = client.post(MFA, {"code": _wrong(totp_code(secret))}).content.decode()
        assert "That code is not right: check it and try again." in html
        assert TOO_MANY not in html

    response = client.post(MFA, {"code": totp_code(secret)})
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert SESSION_KEY not in client.session

    # The limit is the account's, not the address's: a fresh login from elsewhere meets it too.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    response = elsewhere.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response["Location"] == MFA
    response = elsewhere.post(MFA, {"code": totp_code(secret)})
    assert TOO_MANY in response.content.decode()
    assert not _is_signed_in(elsewhere)


@pytest.mark.services
def test_the_two_factor_limit_lifts_after_five_minutes(client, totp_user, mfa_time):
    user, secret = totp_user
    client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    for _ in range(5):
        client.post(MFA, {"code": _wrong(totp_code(secret))})
    assert TOO_MANY in client.post(MFA, {"code": totp_code(secret)}).content.decode()

    mfa_time.shift(5 * 60 + 1)
    response = client.post(MFA, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.services
def test_the_two_factor_counter_lives_in_redis(client, totp_user, mfa_time):
    """Shared by every web process: one process each cannot multiply the attempts."""
    from django.core.cache import cache

    user, secret = totp_user
    client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    client.post(MFA, {"code": _wrong(totp_code(secret))})
    account = hashlib.sha256(f"mfa-auth-user-{user.pk}".encode()).hexdigest()
    keys = [k.decode() for k in cache._cache.get_client().keys("*login_failed*")]
    assert any(k.endswith(account) for k in keys), keys


# --- sessions rotate on login --------------------------------------------------------------


def test_login_replaces_the_anonymous_session(client, user):
    """A session id planted before login (session fixation) never becomes a signed-in one."""
    session = client.session
    session["visited"] = "/jobs/"
    session.save()
    before = _session_key(client)
    assert _session_exists(before)

    response = client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    after = _session_key(client)
    assert after != before
    assert client.session[SESSION_KEY] == str(user.pk)
    assert not _session_exists(before)
    assert not _is_signed_in(_client_with_session(before))
    assert _is_signed_in(client)


def test_two_factor_login_replaces_the_half_signed_in_session(client, totp_user, mfa_time):
    """After the password the session holds a pending login; the code completes it under a new
    session id, so whoever holds the pending one gets nothing."""
    user, secret = totp_user
    client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    pending = _session_key(client)
    assert _session_exists(pending)
    assert not _is_signed_in(client)

    response = client.post(MFA, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert _session_key(client) != pending
    assert not _session_exists(pending)
    assert not _is_signed_in(_client_with_session(pending))
    assert _is_signed_in(client)


# --- logout --------------------------------------------------------------------------------


def test_logout_ends_the_session_on_the_server(client, user):
    client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    signed_in = _session_key(client)
    assert _is_signed_in(_client_with_session(signed_in))

    assert client.post("/accounts/logout/").status_code == 302
    assert not _session_exists(signed_in)
    # A copy of the cookie taken before logout is worth nothing afterwards.
    assert not _is_signed_in(_client_with_session(signed_in))
    assert not _is_signed_in(client)


def test_logout_by_get_changes_nothing(client, user):
    client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    signed_in = _session_key(client)
    client.get("/accounts/logout/")
    assert _session_key(client) == signed_in
    assert _is_signed_in(_client_with_session(signed_in))


# --- a new password signs out the other sessions -------------------------------------------


def test_password_change_signs_out_other_sessions_and_keeps_this_one(user):
    here, there = Client(), Client(REMOTE_ADDR="198.51.100.7")
    for browser in (here, there):
        browser.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
        assert _is_signed_in(browser)

    response = here.post(
        "/accounts/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW, "password2": NEW},
    )
    assert response.status_code == 302
    assert _is_signed_in(here)
    assert not _is_signed_in(there)
    # Signing in again with the new password works there.
    there.post(LOGIN, {"login": user.email, "password": NEW})
    assert _is_signed_in(there)


def test_password_reset_signs_out_every_session(client, user):
    signed_in = Client(REMOTE_ADDR="198.51.100.7")
    signed_in.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert _is_signed_in(signed_in)

    client.post("/accounts/password/reset/", {"email": user.email})
    link = link_in_last_mail(r"http://\S+/accounts/password/reset/key/\S+/")
    action = client.get(link, follow=True).redirect_chain[-1][0]
    assert client.post(action, {"password1": NEW, "password2": NEW}).status_code == 302
    assert not _is_signed_in(signed_in)
