from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest, HttpResponseBase
from django.template.loader import render_to_string
from django.urls import reverse

from config.clientip import client_ip
from config.mail import email_context

# A browser that has signed in to an account before carries this signed cookie (OWASP's
# "device cookie"): its logins to that account skip the per-address failed-login limit, so
# someone failing logins from the same address (an office, a NAT, a proxy) cannot lock the
# account's owner out. The per-account limit still applies to everyone.
DEVICE_COOKIE = "jt_device"
DEVICE_COOKIE_SALT = "accounts.device"
DEVICE_COOKIE_MAX_AGE = 365 * 86400


def known_device_login(request: HttpRequest) -> str | None:
    """The login (lower-cased email) this browser has signed in to before, if any."""
    return request.get_signed_cookie(
        DEVICE_COOKIE, default=None, salt=DEVICE_COOKIE_SALT, max_age=DEVICE_COOKIE_MAX_AGE
    )


def remember_device(response: HttpResponseBase, login: str) -> None:
    response.set_signed_cookie(
        DEVICE_COOKIE,
        login.strip().lower(),
        salt=DEVICE_COOKIE_SALT,
        max_age=DEVICE_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class AccountAdapter(DefaultAccountAdapter):
    # Our wording (issue 20) for every error allauth's forms can show; the keys are allauth's.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": "This account is closed and can no longer log in.",
        "cannot_remove_primary_email": "You sign in with this address, so it stays.",
        "duplicate_email": "That is already the address of your account.",
        "email_password_mismatch": "That email and password do not match an account. Check "
        "both, or reset your password.",
        "email_taken": "An account with this email address exists already. Log in, or reset "
        "its password.",
        "enter_current_password": "Type your current password.",
        "incorrect_code": "That code is not right: check it and try again.",
        "incorrect_password": "That is not your password.",
        "invalid_or_expired_key": "This link has expired or was already used.",
        "invalid_login": "That email and password do not match an account.",
        "invalid_password_reset": "This reset link has expired or was already used.",
        "max_email_addresses": "An account can have at most %d email addresses.",
        "too_many_login_attempts": "Too many attempts to log in. Wait a few minutes, then try "
        "again (or reset your password).",
        "unknown_email": "No account uses this email address.",
        "unverified_primary_email": "Confirm your email address first: open the link we sent.",
        "select_only_one": "Choose one address.",
        "same_as_current": "That is already your address: type the new one.",
        "rate_limited": "Too many requests in a short time. Wait a minute, then try again.",
    }

    def get_login_redirect_url(self, request):
        # Staff work starts at the review queue; a next= still wins (allauth reads it first).
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            return reverse("jobs_staff:review_queue")
        return super().get_login_redirect_url(request)

    def get_reauthentication_methods(self, user):
        """allauth's ways to confirm it is you, described in our words."""
        ours = {
            "reauthenticate": "With your password",
            "mfa_reauthenticate": "With a code from your authenticator app or a recovery code",
        }
        methods = super().get_reauthentication_methods(user)
        return [{**m, "description": ours.get(m["id"], m["description"])} for m in methods]

    def get_email_verification_redirect_url(self, email_address):
        return settings.LOGIN_REDIRECT_URL and super().get_email_verification_redirect_url(
            email_address
        )

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The failed-login limit's key: the account alone.

        allauth prefixes the current site's domain, which without the sites framework is the
        request's Host header, so each accepted host name (www., the bare domain, an IP) would
        get an allowance of its own for the same account.
        """
        login = credentials.get("email", credentials.get("username", "")) or ""
        return f"account:{login.strip().lower()}"

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request)  # TRUSTED_PROXY_COUNT decides which address is the client's

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """allauth's failed-login limit, without the per-address part for a known device."""
        from allauth.core.internal import ratelimit

        cache_key = self._get_login_attempts_cache_key(request, **credentials)
        config = None
        if known_device_login(request) == cache_key.removeprefix("account:"):
            rates = settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")
            config = {"login_failed": ",".join(r for r in rates if r.strip().endswith("/key"))}
        self._login_failed_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed", key=cache_key, config=config
        )
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")

    def send_mail(self, template_prefix, email, context):
        """allauth's emails get the same context as ours (site_url, site_name); unlike allauth's
        own version this also works after the request (an on_commit callback, a task)."""
        request = allauth_context.request
        ctx = email_context({"email": email, "request": request})
        if request is not None:
            ctx["current_site"] = get_current_site(request)
        ctx.update(context)
        self.render_mail(template_prefix, email, ctx).send()

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's emails, with an HTML part in the shared layout even where we have no
        `<name>_message.html` of our own (e.g. a template added by a later allauth)."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if isinstance(message, EmailMultiAlternatives) and not message.alternatives:
            html = render_to_string(
                "email/fallback.html", {**email_context(context), "text": message.body}
            )
            message.attach_alternative(html, "text/html")
        return message


class MFAAdapter(DefaultMFAAdapter):
    # Our wording (issue 20) for allauth.mfa's form errors.
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": "Turn off two-factor log-in before you change your email address.",
        "cannot_delete_authenticator": "Two-factor log-in cannot be turned off for this account.",
        "cannot_generate_recovery_codes": "Turn on two-factor log-in first: recovery codes come "
        "with it.",
        "incorrect_code": "That code is not right: check it and try again.",
        "unverified_email": "Confirm your email address before you turn on two-factor log-in.",
    }
