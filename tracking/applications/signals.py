"""Every new account starts with its stages and tracking settings, in the same transaction as
the user row, so that no page has to create them while reading. Connected in
TrackingConfig.ready()."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from tracking.applications import services


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="tracking_setup")
def set_up_tracking(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        services.tracking_setup(user=instance)
