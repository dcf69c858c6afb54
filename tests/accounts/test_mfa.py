import pytest
from allauth.mfa.models import Authenticator
from django.core import mail

from tests.accounts.conftest import totp_code
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture(autouse=True)
def _frozen_time(time_machine):
    """TOTP codes change every 30 s: no window edge between computing and checking one."""
    time_machine.move_to("2029-06-01 09:00:05Z", tick=False)


@pytest.fixture
def reauthenticated_client(client, user):
    client.force_login(user)
    client.post("/accounts/reauthenticate/", {"password": DEFAULT_PASSWORD})
    return client


def test_activation_page_shows_the_secret_and_a_labelled_code_field(reauthenticated_client):
    response = reauthenticated_client.get(ACTIVATE)
    html = response.content.decode()
    secret = reauthenticated_client.session["mfa.totp.secret"]
    assert f'value="{secret}"' in html
    assert 'class="qr-code"' in html
    assert '<label for="id_code">Authenticator code' in html
    assert 'aria-current="page"' in html and ">Two-factor<" in html


def test_wrong_totp_code_gives_a_message_on_the_field(reauthenticated_client, user):
    response = reauthenticated_client.post(ACTIVATE, {"code": "123456"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_code_error"' in html
    assert "That code is not right: check it and try again." in html
    assert 'value="123456"' in html
    assert 'aria-invalid="true"' in html
    assert not Authenticator.objects.filter(user=user).exists()


def test_right_code_turns_on_totp_with_recovery_codes(
    reauthenticated_client, user, django_capture_on_commit_callbacks
):
    reauthenticated_client.get(ACTIVATE)
    secret = reauthenticated_client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        response = reauthenticated_client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    html = reauthenticated_client.get(response["Location"], follow=True).content.decode()
    codes = Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()
    assert codes[0] in html
    subjects = [m.subject for m in mail.outbox]
    assert any("ctivated" in s for s in subjects), subjects
    notice = next(m for m in mail.outbox if "Two-factor authentication" in m.body)
    assert "now on" in notice.alternatives[0][0]


def test_mfa_pages_need_the_password_again(owner_client):
    response = owner_client.get(ACTIVATE)
    assert response["Location"].startswith("/accounts/reauthenticate/")
    html = owner_client.get(response["Location"]).content.decode()
    assert '<label for="id_password">Your password' in html
