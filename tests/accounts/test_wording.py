"""Our own wording on every page and message of allauth (issue 20): a crawl of each allauth page
(signed in and out, with bad input where a form takes some, and the flash messages after each
action) finds none of allauth's stock sentences.

The stock sentences are read from the installed package: every msgid of its translation
catalogue (its templates' and its Python code's strings), cut at placeholders and tags; a piece
of three words or more, or two words in allauth's Title Case ("Remember Me"), counts.
"""

import ast
import html as htmllib
import re
from functools import cache
from pathlib import Path

import allauth
import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.core import mail

from tests.accounts.conftest import totp_code
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CATALOGUE = Path(allauth.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
_PLACEHOLDER = re.compile(r"%\(\w+\)s|%s|%d|\{\{.*?\}\}|<[^>]+>|\{\w*\}")


def _msgids(text: str) -> list[str]:
    found: list[str] = []
    current: str | None = None
    for line in [*text.splitlines(), ""]:
        start = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) (".*")$', line)
        if start or not line.startswith('"'):
            if current:
                found.append(current)
            current = None
            if start and start.group(1).startswith("msgid"):
                current = ast.literal_eval(start.group(2))
        elif current is not None:
            current += ast.literal_eval(line)
    return found


@cache
def stock_sentences() -> frozenset[str]:
    pieces = set()
    for msgid in _msgids(CATALOGUE.read_text(encoding="utf-8")):
        for piece in _PLACEHOLDER.split(msgid):
            piece = " ".join(piece.split()).strip(" .:,;()!?")
            words = re.findall(r"[A-Za-z][\w'-]*", piece)
            title_case = len(words) == 2 and all(w[0].isupper() for w in words)
            if len(words) >= 3 or title_case:
                pieces.add(piece)
    return frozenset(pieces)


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return " ".join(htmllib.unescape(page).split())


def stock_in(page: str) -> list[str]:
    text = visible_text(page)
    return sorted(s for s in stock_sentences() if s in text)


class Crawl:
    def __init__(self, client):
        self.client = client
        self.problems: list[str] = []
        self.seen: list[str] = []

    def check(self, label: str, response) -> str:
        page = response.content.decode()
        assert response.status_code == 200, (label, response.status_code)
        self.seen.append(label)
        self.problems += [f"{label}: “{s}”" for s in stock_in(page)]
        return page

    def get(self, path: str, label: str = "") -> str:
        return self.check(label or f"GET {path}", self.client.get(path, follow=True))

    def post(self, path: str, data: dict, label: str = "") -> str:
        return self.check(label or f"POST {path}", self.client.post(path, data, follow=True))


def test_the_stock_sentences_are_read_from_the_package():
    stock = stock_sentences()
    assert len(stock) > 150
    assert "The email address and/or password you specified are not correct" in stock
    assert "Remember Me" in stock and "You have signed out" in stock


def test_no_stock_sentence_on_the_pages_of_a_signed_out_visitor(client, user, settings):
    crawl = Crawl(client)
    crawl.get("/accounts/login/")
    page = crawl.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    assert "That email and password do not match an account." in page
    assert f'value="{user.email}"' in page  # the form comes back filled in
    crawl.post("/accounts/login/", {"login": "not an email", "password": ""})
    crawl.get("/accounts/signup/")
    crawl.post(
        "/accounts/signup/", {"email": user.email, "password1": "x", "password2": "y"}
    )  # taken address, weak and mismatched passwords
    crawl.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": "Long enough 1!", "password2": "Long enough 2!"},
    )
    crawl.get("/accounts/password/reset/")
    crawl.post("/accounts/password/reset/", {"email": "nope"})
    crawl.post("/accounts/password/reset/", {"email": user.email})
    crawl.get("/accounts/password/reset/done/")
    crawl.get("/accounts/password/reset/key/1-not-a-key/", "bad reset link")
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    set_url = client.get(f"/accounts/password/reset/key/{key}/")[
        "Location"
    ]  # the key leaves the URL
    crawl.get(set_url, "reset form")
    crawl.post(set_url, {"password1": "Long enough 1!", "password2": "other"}, "reset mismatch")
    crawl.post(set_url, {"password1": "New long pass 1!", "password2": "New long pass 1!"})
    crawl.get("/accounts/password/reset/key/done/")
    crawl.get("/accounts/confirm-email/")
    crawl.get("/accounts/confirm-email/not-a-key/", "bad confirmation link")
    crawl.get("/accounts/inactive/")
    # Sign-up closed (the adapter decides; we keep it open).
    settings.ACCOUNT_ADAPTER = "tests.accounts.test_wording.ClosedAdapter"
    page = crawl.get("/accounts/signup/", "sign-up closed")
    assert "Sign-up is closed" in page
    assert not crawl.problems, "\n".join(crawl.problems)


class ClosedAdapter:
    """allauth's adapter with sign-up closed (loaded by path from the settings)."""

    def __new__(cls, request=None):
        from accounts.adapter import AccountAdapter

        adapter = AccountAdapter(request)
        adapter.is_open_for_signup = lambda request: False  # type: ignore[method-assign]
        return adapter


def test_no_stock_sentence_on_sign_up_and_email_confirmation(client):
    crawl = Crawl(client)
    crawl.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": "Long enough 1!", "password2": "Long enough 1!"},
        "signed up",
    )
    address = EmailAddress.objects.get(email="new@example.com")
    key = EmailConfirmationHMAC(address).key
    crawl.get(f"/accounts/confirm-email/{key}/", "confirm form")
    page = crawl.post(f"/accounts/confirm-email/{key}/", {}, "confirmed")
    assert "new@example.com is confirmed" in page
    crawl.get("/accounts/logout/")
    page = crawl.post("/accounts/logout/", {}, "logged out")
    assert "You are logged out" in page
    page = crawl.post(
        "/accounts/login/",
        {"login": "new@example.com", "password": "Long enough 1!"},
        "logged in",
    )
    assert "Welcome back" in page
    assert not crawl.problems, "\n".join(crawl.problems)


def test_no_stock_sentence_on_the_settings_pages(client, user):
    client.force_login(user)
    crawl = Crawl(client)
    crawl.get("/accounts/login/", "login while signed in")
    crawl.get("/accounts/password/reset/", "reset while signed in")
    crawl.get("/accounts/email/")
    crawl.post("/accounts/email/", {"action_add": "", "email": "bad"}, "email: invalid")
    crawl.post("/accounts/email/", {"action_add": "", "email": user.email}, "email: same")
    page = crawl.post("/accounts/email/", {"action_add": "", "email": "next@example.com"})
    assert "next@example.com" in page
    crawl.post(
        "/accounts/email/", {"action_send": "", "email": "next@example.com"}, "email: send again"
    )
    crawl.post("/accounts/email/", {"action_remove": "", "email": "next@example.com"}, "cancel")
    crawl.post("/accounts/email/", {"action_remove": "", "email": user.email}, "remove primary")
    crawl.get("/accounts/password/change/")
    crawl.post(
        "/accounts/password/change/",
        {"oldpassword": "wrong", "password1": "a", "password2": "b"},
        "password: wrong",
    )
    crawl.post(
        "/accounts/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": "New long pass 1!",
         "password2": "New long pass 1!"},
        "password: changed",
    )  # fmt: skip
    crawl.get("/accounts/logout/")
    crawl.get("/accounts/reauthenticate/?next=/accounts/2fa/")
    crawl.post("/accounts/reauthenticate/", {"password": "wrong"}, "reauthenticate: wrong")
    crawl.get("/accounts/2fa/", "two-factor, off")
    crawl.get("/accounts/2fa/totp/activate/", "activate (asks for the password)")
    crawl.post("/accounts/reauthenticate/", {"password": "New long pass 1!"}, "reauthenticated")
    page = crawl.get("/accounts/2fa/totp/activate/")
    crawl.post("/accounts/2fa/totp/activate/", {"code": "000000"}, "activate: wrong code")
    secret = client.session["mfa.totp.secret"]
    crawl.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)}, "activated")
    crawl.get("/accounts/2fa/", "two-factor, on")
    crawl.get("/accounts/2fa/recovery-codes/")
    crawl.get("/accounts/2fa/recovery-codes/generate/")
    crawl.post("/accounts/2fa/recovery-codes/generate/", {}, "codes generated")
    download = client.get("/accounts/2fa/recovery-codes/download/").content.decode()
    crawl.problems += [f"recovery codes file: “{s}”" for s in stock_in(download)]
    crawl.get("/accounts/2fa/totp/deactivate/")
    crawl.post("/accounts/2fa/totp/deactivate/", {}, "deactivated")
    assert page and not crawl.problems, "\n".join(crawl.problems)


def test_no_stock_sentence_when_setting_a_password_or_logging_in_with_a_code(client, user):
    crawl = Crawl(client)
    without = UserFactory()
    without.set_unusable_password()
    without.save()
    client.force_login(without)
    crawl.get("/accounts/password/set/")
    crawl.post("/accounts/password/set/", {"password1": "a", "password2": "b"}, "set: bad")
    crawl.post(
        "/accounts/password/set/",
        {"password1": "New long pass 1!", "password2": "New long pass 1!"},
        "set",
    )
    assert not crawl.problems, "\n".join(crawl.problems)


def test_no_stock_sentence_on_the_two_factor_log_in(client, totp_user):
    user, secret = totp_user
    crawl = Crawl(client)
    crawl.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD}, "2fa step")
    crawl.post("/accounts/2fa/authenticate/", {"code": "000000"}, "2fa: wrong code")
    crawl.post("/accounts/2fa/authenticate/", {"code": totp_code(secret, at=None)}, "2fa: in")
    client.post("/accounts/reauthenticate/", {"password": DEFAULT_PASSWORD})
    crawl.get("/accounts/2fa/reauthenticate/", "2fa reauthenticate")
    mail.outbox.clear()
    assert not crawl.problems, "\n".join(crawl.problems)
