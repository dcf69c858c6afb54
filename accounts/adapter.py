from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from config.mail import email_context


class AccountAdapter(DefaultAccountAdapter):
    def get_email_verification_redirect_url(self, email_address):
        return settings.LOGIN_REDIRECT_URL and super().get_email_verification_redirect_url(
            email_address
        )

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The failed-login limit's key: the account alone.

        allauth prefixes the current site's domain, which without the sites framework is the
        request's Host header, so each accepted host name (www., the bare domain, an IP) would
        get an allowance of its own for the same account.
        """
        login = credentials.get("email", credentials.get("username", "")) or ""
        return f"account:{login.strip().lower()}"

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
