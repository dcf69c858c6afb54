import copy

import pytest
from django.core import mail

from config.mail import send_templated_mail, stored_mails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_templates(tmp_path, settings):
    """A tiny email of our own, written the way app emails are: two bodies on the shared layouts."""
    (tmp_path / "email").mkdir()
    (tmp_path / "email" / "hello_subject.txt").write_text("Hello {{ name }}\n")
    (tmp_path / "email" / "hello.txt").write_text(
        '{% extends "email/base.txt" %}{% block content %}Hi {{ name }} & co{% endblock %}'
    )
    (tmp_path / "email" / "hello.html").write_text(
        '{% extends "email/base.html" %}{% block content %}<p>Hi {{ name }}</p>{% endblock %}'
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates
    return tmp_path


def test_send_templated_mail_has_a_text_and_an_html_part_on_one_layout(email_templates):
    send_templated_mail(
        template="email/hello",
        to=["ada@example.com"],
        context={"name": "Ada <3"},
        headers={"X-Test": "1"},
    )
    (message,) = mail.outbox
    assert message.subject == "[Jobtrail] Hello Ada <3"
    assert message.to == ["ada@example.com"]
    assert message.extra_headers == {"X-Test": "1"}
    assert message.body.startswith("Hi Ada <3 & co")  # text is not HTML-escaped
    assert "Jobtrail · http://" in message.body  # the text layout's footer
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<p>Hi Ada &lt;3</p>" in html  # html is escaped
    assert "<!DOCTYPE html>" in html


def test_every_allauth_email_uses_the_shared_layout(client):
    UserFactory(email="known@example.com")
    client.post("/accounts/password/reset/", {"email": "known@example.com"})
    client.post("/accounts/password/reset/", {"email": "unknown@example.com"})
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "x9 long enough!",
            "password2": "x9 long enough!",
        },
    )
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert message.subject.startswith("[Jobtrail] ")
        assert "\n-- \nJobtrail · " in message.body
        html = message.alternatives[0][0]
        assert html.startswith("<!DOCTYPE html>")
        assert 'role="presentation"' in html


@pytest.fixture
def dev_mailbox(settings, tmp_path):
    settings.EMAIL_BACKEND = "config.mail.DevelopmentEmailBackend"
    settings.DEV_MAIL_DIR = tmp_path / "mail"
    mail.EmailMultiAlternatives("Welcome aboard", "Plain body", to=["ada@example.com"]).send()
    return settings.DEV_MAIL_DIR


def test_dev_backend_keeps_a_copy_of_each_mail(dev_mailbox):
    (stored,) = stored_mails()
    assert stored.subject == "Welcome aboard"
    assert stored.text.strip() == "Plain body"


def test_staff_sees_the_dev_mailbox(client, dev_mailbox):
    client.force_login(UserFactory(is_staff=True))
    response = client.get("/dev/mail/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Welcome aboard" in html
    (stored,) = stored_mails()
    detail = client.get(f"/dev/mail/{stored.name}")
    assert detail.status_code == 200
    assert "Plain body" in detail.content.decode()
    assert client.get("/dev/mail/nope.eml").status_code == 404
    assert client.get("/dev/mail/..%2Fsecret.eml").status_code == 404


def test_anonymous_visitors_are_sent_to_the_sites_login_not_the_admins(client, dev_mailbox):
    response = client.get("/dev/mail/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dev/mail/"
    (stored,) = stored_mails()
    detail = client.get(f"/dev/mail/{stored.name}")
    assert detail.status_code == 302 and detail["Location"].startswith("/accounts/login/?next=")


def test_members_cannot_read_the_dev_mailbox(client, dev_mailbox):
    client.force_login(UserFactory())
    assert client.get("/dev/mail/").status_code == 404
    (stored,) = stored_mails()
    assert client.get(f"/dev/mail/{stored.name}").status_code == 404


def test_the_dev_mailbox_writes_dates_plainly_and_wraps_long_urls(client, dev_mailbox):
    import datetime as dt
    import os

    (stored,) = stored_mails()
    when = dt.datetime(2026, 12, 3, 13, 39, tzinfo=dt.UTC).timestamp()
    os.utime(dev_mailbox / stored.name, (when, when))
    client.force_login(UserFactory(is_staff=True))
    html = client.get("/dev/mail/").content.decode()
    assert "3 Dec 2026, 13:39" in html and "p.m." not in html
    detail = client.get(f"/dev/mail/{stored.name}").content.decode()
    assert "3 Dec 2026, 13:39" in detail
    assert 'class="panel dev-mail-text"' in detail


def test_dev_mailbox_is_off_with_a_real_mail_server(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/dev/mail/").status_code == 404


def test_send_user_mail_uses_the_users_timezone_and_preferences(email_templates, user):
    import datetime as dt

    from accounts.models import Profile
    from config.mail import send_user_mail

    (email_templates / "email" / "when.txt").write_text(
        '{% extends "email/base.txt" %}{% block content %}Due {{ at|date:"H:i T" }}{% endblock %}'
    )
    (email_templates / "email" / "when.html").write_text(
        '{% extends "email/base.html" %}{% block content %}Due {{ at|date:"H:i T" }}{% endblock %}'
    )
    (email_templates / "email" / "when_subject.txt").write_text("Reminder")
    Profile.objects.filter(user=user).update(
        timezone="America/New_York", email_preferences={"reminder_due": False}
    )
    user.refresh_from_db()
    at = dt.datetime(2026, 7, 1, 16, 0, tzinfo=dt.UTC)

    assert not send_user_mail(
        user=user, template="email/when", context={"at": at}, kind="reminder_due"
    )
    assert not mail.outbox

    assert send_user_mail(
        user=user, template="email/when", context={"at": at}, kind="interview_tomorrow"
    )
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "Due 12:00 EDT" in message.body
    assert "Choose which emails you get: http" in message.body
    assert "/account/profile/" in message.alternatives[0][0]


def test_an_allauth_email_without_an_html_template_still_gets_the_html_layout(email_templates, rf):
    from allauth.account.adapter import get_adapter

    (email_templates / "email" / "textonly_subject.txt").write_text("Only text")
    (email_templates / "email" / "textonly_message.txt").write_text(
        '{% extends "account/email/base_message.txt" %}{% block content %}See '
        "https://example.com/x{% endblock %}"
    )
    adapter = get_adapter(rf.get("/"))
    message = adapter.render_mail("email/textonly", "ada@example.com", {"site_url": "http://t"})
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert html.startswith("<!DOCTYPE html>")
    assert '<a href="https://example.com/x"' in html
