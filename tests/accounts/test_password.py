import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail

from tests.accounts.conftest import link_in_last_mail
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"
NEW = "a brand new passphrase 5512"


def _page_without_token(response) -> str:
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', "", html)


def test_reset_for_an_unknown_email_looks_like_a_known_one(client, user):
    known = client.post(RESET, {"email": user.email}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@example.com"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert _page_without_token(known) == _page_without_token(unknown)
    # Each address gets an email: the known one a link, the unknown one a "no account" note.
    assert [m.to for m in mail.outbox] == [[user.email], ["nobody@example.com"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "there is no account with this address" in mail.outbox[1].body


def test_malformed_reset_email_gives_a_message_on_the_field(client):
    response = client.post(RESET, {"email": "nope"})
    assert 'id="id_email_error"' in response.content.decode()
    assert not mail.outbox


def test_reset_link_sets_a_new_password(client, user):
    client.post(RESET, {"email": user.email})
    link = link_in_last_mail(r"http://\S+/accounts/password/reset/key/\S+/")
    response = client.get(link, follow=True)
    action = response.redirect_chain[-1][0]
    response = client.post(action, {"password1": NEW, "password2": NEW})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert "Your password was reset." in mail.outbox[-1].body


def test_password_change_sends_a_security_notice(owner_client, user):
    response = owner_client.post(
        "/accounts/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW, "password2": NEW},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert owner_client.session[SESSION_KEY] == str(user.pk)
    (notice,) = mail.outbox
    assert "Your password was changed." in notice.body
    assert "Your password was changed." in notice.alternatives[0][0]


def test_password_change_with_a_wrong_old_password(owner_client, user):
    response = owner_client.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": NEW, "password2": NEW},
    )
    html = response.content.decode()
    assert 'id="id_oldpassword_error"' in html
    assert 'aria-current="page"' in html  # the settings nav marks "Password"
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_change_of_email_is_verified_before_use(owner_client, user):
    response = owner_client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    assert response.status_code == 302
    link = link_in_last_mail(r"http://\S+/accounts/confirm-email/\S+/")
    assert user.emailaddress_set.get(email="new@example.com").verified is False
    html = owner_client.get("/accounts/email/").content.decode()
    assert "Changing to <strong>new@example.com</strong>" in html
    owner_client.post(link)
    assert user.emailaddress_set.get(email="new@example.com").verified is True
