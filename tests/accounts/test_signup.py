import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import Profile, User
from tests.accounts.conftest import link_in_last_mail

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
STRONG = "a-long passphrase 9271"


def signup(client, **overrides):
    data = {"email": "new@example.com", "password1": STRONG, "password2": STRONG, **overrides}
    return client.post(SIGNUP, data)


def test_signup_page_has_labelled_fields_in_our_layout(client):
    html = client.get(SIGNUP).content.decode()
    assert '<label for="id_email">Email' in html
    assert '<label for="id_password1">Password' in html
    assert 'class="panel entrance-panel"' in html
    assert 'class="skip-link"' in html  # inside base.html


def test_signup_sends_a_verification_email_and_does_not_log_in(client):
    response = signup(client, display_name="Ada")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new@example.com")
    assert Profile.objects.get(user=user).display_name == "Ada"
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session
    (message,) = mail.outbox
    assert message.subject == "[Jobtrail] Confirm your email address"
    assert "Hello Ada" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Confirm my email address" in html


def test_confirming_the_email_logs_the_user_in(client):
    signup(client)
    link = link_in_last_mail(r"http://\S+/accounts/confirm-email/\S+/")
    assert client.get(link).status_code == 200  # GET only shows a confirm button
    assert not EmailAddress.objects.get(email="new@example.com").verified
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.com").verified
    assert client.get("/account/profile/").status_code == 200


def test_unverified_user_cannot_log_in(client):
    signup(client)
    mail.outbox.clear()
    response = client.post("/accounts/login/", {"login": "new@example.com", "password": STRONG})
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_malformed_email_gives_a_message_on_the_field(client):
    response = signup(client, email="not-an-email")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_email_error"' in html
    assert "Enter a valid email address." in html
    assert 'aria-invalid="true"' in html
    assert 'value="not-an-email"' in html  # the form comes back filled in
    assert not User.objects.exists()
    assert not mail.outbox


def test_weak_password_gives_a_message_on_the_field(client):
    response = signup(client, password1="password", password2="password", display_name="Bo")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_password1_error"' in html
    assert "This password is too common." in html
    assert 'value="new@example.com"' in html
    assert 'value="Bo"' in html
    assert not User.objects.exists()


def test_mismatched_passwords_give_a_message_on_the_field(client):
    response = signup(client, password2=STRONG + "x")
    assert "The two passwords differ: type the same one twice." in response.content.decode()
    assert not User.objects.exists()


def test_taken_email_gives_a_message_on_the_field_and_creates_nothing(client, user):
    response = signup(client, email=user.email.upper(), display_name="Bo")
    html = response.content.decode()
    assert response.status_code == 200
    assert "An account already uses this email address." in html
    assert 'id="id_email_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Bo"' in html
    assert User.objects.count() == 1
    assert EmailAddress.objects.count() == 1
    assert mail.outbox == []


def test_taken_email_on_own_account_gives_a_message_on_the_field(owner_client, user):
    response = owner_client.post("/accounts/email/", {"action_add": "", "email": user.email})
    html = response.content.decode()
    assert response.status_code == 200
    assert "That is already the address of your account." in html
    assert 'id="id_email_error"' in html
    assert 'aria-invalid="true"' in html
    assert f'value="{user.email}"' in html
    assert EmailAddress.objects.filter(user=user).count() == 1


def test_the_browsers_timezone_is_kept_at_sign_up(client):
    html = client.get(SIGNUP).content.decode()
    assert 'type="hidden" name="timezone"' in html and "data-browser-timezone" in html
    assert "/static/js/timezone.js" in html
    signup(client, timezone="Europe/Berlin")
    assert Profile.objects.get(user__email="new@example.com").timezone == "Europe/Berlin"


@pytest.mark.parametrize("zone", ["", "Mars/Olympus_Mons", "<script>", "x" * 200])
def test_an_absent_or_unknown_timezone_is_utc(client, zone):
    response = signup(client, timezone=zone)
    assert response.status_code == 302
    assert Profile.objects.get(user__email="new@example.com").timezone == "UTC"


def test_allauth_pages_use_our_wording(client):
    signup(client)
    sent = client.get("/accounts/confirm-email/").content.decode()
    assert "Verify your email address" in sent and "finalize the signup process" not in sent
    link = link_in_last_mail(r"http://\S+/accounts/confirm-email/\S+/")
    html = client.get(link).content.decode()
    assert "is an email address for user" not in html
    assert "Is <strong>new@example.com</strong> your address?" in html
    assert "Confirm my email address</button>" in html
    bad = client.get("/accounts/confirm-email/not-a-key/").content.decode()
    assert "This confirmation link has expired or was already used." in bad
    reset = client.get("/accounts/password/reset/").content.decode()
    assert "Send me a reset link" in reset and "Reset My Password" not in reset
