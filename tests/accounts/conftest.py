import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail

from tests.factories import DEFAULT_PASSWORD


def totp_code(secret: str, at: float | None = None) -> str:
    """The RFC 6238 code an authenticator app would show for `secret` at time `at`."""
    return format_hotp_value(hotp_value(secret, int(at if at is not None else time.time()) // 30))


def link_in_last_mail(pattern: str = r"https?://\S+") -> str:
    return re.search(pattern, mail.outbox[-1].body).group(0)


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def totp_user(user, client, time_machine):
    """A user with TOTP turned on through allauth's own activation flow; returns (user, secret)."""
    time_machine.move_to("2029-06-01 09:00:05Z", tick=False)  # no 30 s window edge mid-test
    # Changing two-factor settings asks for the password again, even right after a login.
    client.force_login(user)
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": DEFAULT_PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302, response.content
    client.logout()
    mail.outbox.clear()
    return user, secret


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
