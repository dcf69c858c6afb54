from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def get_email_verification_redirect_url(self, email_address):
        return settings.LOGIN_REDIRECT_URL and super().get_email_verification_redirect_url(
            email_address
        )
