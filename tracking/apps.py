from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tracking.saved import signals as signals_saved  # noqa: F401 - connects the pending-save receiver
