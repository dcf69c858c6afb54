from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Profile


def remember_device_on_login(sender, request, user, response=None, **kwargs):
    from accounts.adapter import remember_device

    if response is not None and user.email:
        remember_device(response, user.email)


def _connect_allauth() -> None:
    from allauth.account.signals import user_logged_in

    user_logged_in.connect(remember_device_on_login, dispatch_uid="accounts.remember_device")


_connect_allauth()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Profile.objects.get_or_create(user=instance)
