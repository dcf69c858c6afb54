from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.timezones import timezone_choices


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """The email address is the login; there is no username."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        profile = getattr(self, "profile", None)
        return (profile.display_name if profile else "") or self.email.split("@")[0]


class NotificationKind(models.TextChoices):
    """Every kind of email Jobtrail sends; the profile keeps an on/off per kind."""

    REMINDER_DUE = "reminder_due", _("A follow-up reminder is due")
    SAVED_JOB_EXPIRING = "saved_job_expiring", _("A saved job expires soon")
    POSTING_CLOSED = "posting_closed", _("A saved or tracked posting closed early")
    INTERVIEW_TOMORROW = "interview_tomorrow", _("An interview is tomorrow")
    SAVED_SEARCH_DIGEST = "saved_search_digest", _("New postings match a saved search")
    STALE_APPLICATION = "stale_application", _("An application has gone quiet")
    EMPLOYER_POSTING = "employer_posting", _("My posting was approved, rejected or expires")


# Everything on by default but the nudge, which people find naggy unless they ask for it.
DEFAULT_EMAIL_PREFERENCES = {
    kind.value: kind != NotificationKind.STALE_APPLICATION for kind in NotificationKind
}


def default_email_preferences() -> dict[str, bool]:
    return dict(DEFAULT_EMAIL_PREFERENCES)


class ProfileQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=100, blank=True)
    headline = models.CharField(max_length=200, blank=True)
    skills = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    years_of_experience = models.PositiveSmallIntegerField(null=True, blank=True)
    preferred_locations = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    timezone = models.CharField(max_length=64, choices=timezone_choices, default="UTC")
    # The currency /jobs/ converts salaries to; "" means from the browser's country
    # (jobs/board/currency.py). A code of the reference rates, chosen from a list.
    salary_currency = models.CharField(max_length=3, blank=True, default="")
    email_preferences = models.JSONField(default=default_email_preferences, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def wants_email(self, kind: str) -> bool:
        return bool(self.email_preferences.get(kind, DEFAULT_EMAIL_PREFERENCES.get(kind, True)))


class ApiTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def live(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal token for the clip API (browser extension, scripts). Only a SHA-256 of the
    secret is stored: the secret is 32 random bytes, not a password, so a fast hash is enough and
    lets a request be checked with one indexed lookup. Shown once, when made. Revoking keeps the
    row (revoked_at) so the settings page can say when it stopped working."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    prefix = models.CharField(
        max_length=12, help_text="The token's first characters, to tell it apart."
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
