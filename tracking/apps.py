from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Importing the modules connects their receivers: the tracker's setup at sign-up and
        # the pending save done at log-in.
        from tracking.applications import signals as _applications  # noqa: F401
        from tracking.saved import signals as _saved  # noqa: F401
