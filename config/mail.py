"""Development email: printed to the console and kept under .data/mail/ for the staff mailbox page."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.template import Context
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template, render_to_string
from django.utils.crypto import get_random_string

from config.site import absolute_url

SUBJECT_PREFIX = "[Jobtrail] "


def email_context(context: dict | None = None) -> dict:
    """What every email template may use, with or without a request (Celery has none)."""
    return {"site_url": settings.SITE_URL, "site_name": "Jobtrail", **(context or {})}


def render_subject(template_name: str, context: dict) -> str:
    """A subject is plain text: rendered without HTML escaping, on one line."""
    wrapper = get_template(template_name)
    assert isinstance(wrapper, DjangoTemplate)  # TEMPLATES has Django's engine only
    template = wrapper.template
    subject = " ".join(template.render(Context(context, autoescape=False)).splitlines()).strip()
    return subject if subject.startswith(SUBJECT_PREFIX) else SUBJECT_PREFIX + subject


def send_templated_mail(
    *,
    template: str,
    to: list[str],
    context: dict,
    headers: dict | None = None,
    connection=None,
) -> None:
    """Send one email with a text and an HTML part.

    Renders `<template>_subject.txt`, `<template>.txt` and `<template>.html`; the two bodies
    extend the shared layouts `email/base.txt` and `email/base.html`. Times render in the active
    timezone: activate the recipient's (`django.utils.timezone.override`) before calling.
    """
    ctx = email_context(context)
    message = EmailMultiAlternatives(
        subject=render_subject(f"{template}_subject.txt", ctx),
        body=render_to_string(f"{template}.txt", ctx).strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers,
        connection=connection,  # one open connection for a batch (notifications)
    )
    message.attach_alternative(render_to_string(f"{template}.html", ctx), "text/html")
    message.send()


class DevelopmentEmailBackend(ConsoleBackend):
    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        mail_dir = Path(settings.DEV_MAIL_DIR)
        mail_dir.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            name = f"{stamp}-{get_random_string(6)}.eml"
            (mail_dir / name).write_bytes(message.message().as_bytes())
        return sent


def send_user_mail(
    *,
    user,
    template: str,
    context: dict,
    kind: str | None = None,
    headers: dict | None = None,
) -> bool:
    """Send `template` to a user: in their profile's timezone, and only if their email
    preference for the notification `kind` is on (security mail passes kind=None).
    Returns whether a message was sent."""
    from django.urls import reverse
    from django.utils import timezone

    from config.timezones import user_timezone

    profile = getattr(user, "profile", None)
    if kind is not None and profile is not None and not profile.wants_email(kind):
        return False
    tz = user_timezone(user)
    ctx = {"user": user, **context}
    if kind is not None:
        ctx["preferences_url"] = absolute_url(reverse("accounts:profile"))
    with timezone.override(tz):
        send_templated_mail(template=template, to=[user.email], context=ctx, headers=headers)
    return True


@dataclass
class StoredMail:
    name: str
    subject: str
    to: str
    sent_at: datetime
    text: str
    html: str | None


def _parse(path: Path) -> StoredMail:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    return StoredMail(
        name=path.name,
        subject=str(message["Subject"] or ""),
        to=str(message["To"] or ""),
        sent_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
        text=text_part.get_content() if text_part else "",
        html=html_part.get_content() if html_part else None,
    )


def stored_mails(limit: int = 100) -> list[StoredMail]:
    mail_dir = Path(settings.DEV_MAIL_DIR)
    if not mail_dir.exists():
        return []
    paths = sorted(mail_dir.glob("*.eml"), reverse=True)[:limit]
    return [_parse(p) for p in paths]


def stored_mail(name: str) -> StoredMail | None:
    path = Path(settings.DEV_MAIL_DIR) / name
    if "/" in name or not name.endswith(".eml") or not path.is_file():
        return None
    return _parse(path)
