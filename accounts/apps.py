from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts import signals  # noqa: F401
        from config.user_page_cache import connect_signals

        connect_signals()  # a save of a user or a profile makes their cached pages stale
