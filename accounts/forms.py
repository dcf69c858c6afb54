import re

from allauth.account import forms as allauth_forms
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html

from accounts.models import NotificationKind, Profile
from config.timezones import ZoneSelect, timezone_choices
from jobs.board.search.params import known_currencies

MAX_SKILLS = 40
MAX_LOCATIONS = 10


def clean_tags(raw: str, *, max_length: int, max_count: int, noun: str) -> list[str]:
    """Split a comma-separated list, trim it, drop empties and case-insensitive duplicates."""
    tags: list[str] = []
    seen: set[str] = set()
    for item in re.split(r"[,\n]", raw or ""):
        tag = " ".join(item.split())
        if not tag or tag.casefold() in seen:
            continue
        if len(tag) > max_length:
            raise ValidationError(
                f"“{tag[:20]}…” is too long: keep each {noun} to {max_length} characters."
            )
        seen.add(tag.casefold())
        tags.append(tag)
    if len(tags) > max_count:
        raise ValidationError(f"At most {max_count} {noun}s, please (you entered {len(tags)}).")
    return tags


class TagListField(forms.Field):
    """A list of short strings, edited as one comma-separated text input.

    static/js/tags.js turns the input into removable tags; without JavaScript it stays a plain
    text field, and this field does the cleaning either way.
    """

    def __init__(self, *, max_length: int, max_count: int, noun: str, **kwargs):
        self.item_max_length = max_length
        self.max_count = max_count
        self.noun = noun
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "data-tags": noun,
                    "data-max-length": max_length,
                    "data-max-count": max_count,
                    "autocomplete": "off",
                }
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list | tuple):
            value = ",".join(value)
        return clean_tags(
            value, max_length=self.item_max_length, max_count=self.max_count, noun=self.noun
        )


# --- allauth's forms in our words (issue 20) -----------------------------------------------------

# Errors allauth's forms add in code (not through the adapter's error_messages).
_STOCK_ERRORS = {
    "You must type the same password each time.": "The two passwords differ: type the same one "
    "twice.",
}
_LABELS = {
    "remember": "Keep me logged in on this device",
    "oldpassword": "Current password",
    "password1": "New password",
    "password2": "New password again",
}


class OurWording:
    """Labels, help texts and in-code errors of an allauth form in the site's voice; labels
    instead of placeholders (as the sign-up form)."""

    labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]
            if "Forgot your password?" in str(field.help_text or ""):
                field.help_text = format_html(
                    '<a href="{}">Forgotten it? Get a reset link</a>',
                    reverse("account_reset_password"),
                )

    def add_error(self, field, error):
        if isinstance(error, str | Promise):  # allauth's are lazy translations
            error = _STOCK_ERRORS.get(str(error), error)
        super().add_error(field, error)  # type: ignore[misc]


class SignupForm(OurWording, AllauthSignupForm):
    labels = {"password2": "Password again"}

    display_name = forms.CharField(
        max_length=100, required=False, help_text="How Jobtrail greets you."
    )

    # Filled by static/js/timezone.js from the browser (Intl.DateTimeFormat); UTC without it.
    timezone = forms.CharField(
        required=False,
        widget=forms.HiddenInput(attrs={"data-browser-timezone": ""}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Put the optional name last; labels instead of placeholders.
        self.order_fields(["email", "password1", "password2", "display_name", "timezone"])
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)

    def clean_email(self):
        # Signup names a taken address on the field (the issue asks for it, and a person who
        # forgot they signed up needs to know). Enumeration stays closed where it is cheap to
        # abuse: password reset and login answer the same for unknown addresses, and signup
        # attempts are rate limited per IP (ACCOUNT_RATE_LIMITS["signup"]).
        email = super().clean_email()
        if EmailAddress.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "An account already uses this email address. Log in, or reset your password "
                "if you forgot it."
            )
        return email

    def clean_timezone(self) -> str:
        # Not the person's typing but the browser's: an unknown name quietly becomes UTC (it
        # can be changed on the profile page), never an error on a field nobody sees.
        name = (self.cleaned_data.get("timezone") or "").strip()
        return name if name in dict(timezone_choices()) else "UTC"

    def save(self, request):
        user = super().save(request)
        if user is None:
            return user
        fields = {"timezone": self.cleaned_data.get("timezone") or "UTC"}
        if self.cleaned_data.get("display_name"):
            fields["display_name"] = self.cleaned_data["display_name"]
        profile, _created = Profile.objects.get_or_create(user=user)
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.save(update_fields=[*fields, "updated_at"])
        user.profile = profile
        return user


class ProfileForm(forms.ModelForm):
    skills = TagListField(
        max_length=60,
        max_count=MAX_SKILLS,
        noun="skill",
        help_text="E.g. Python, SQL, Kubernetes: postings show how well they match them.",
    )
    preferred_locations = TagListField(
        max_length=100,
        max_count=MAX_LOCATIONS,
        noun="location",
        label="Preferred locations",
        help_text="Cities, countries or “Remote”.",
    )
    timezone = forms.ChoiceField(
        choices=timezone_choices,
        widget=ZoneSelect,
        help_text="Every date and time on Jobtrail and in your emails is shown in this timezone.",
    )
    salary_currency = forms.ChoiceField(
        required=False,
        label="Salary currency",
        choices=lambda: [("", "From my browser's country"), *((c, c) for c in known_currencies())],
        help_text="Job search converts salaries to this currency (reference rates).",
    )
    email_notifications = forms.MultipleChoiceField(
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Email me when",
        help_text="Security emails (sign-in, password, two-factor) are always sent.",
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "headline",
            "skills",
            "years_of_experience",
            "preferred_locations",
            "timezone",
            "salary_currency",
        ]
        labels = {"years_of_experience": "Years of experience"}
        help_texts = {
            "headline": "One line about you, e.g. “Backend developer looking for a remote role”.",
        }
        widgets = {"years_of_experience": forms.NumberInput(attrs={"min": 0, "max": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["years_of_experience"].validators.append(_max_years_validator)
        self.fields["email_notifications"].initial = [
            kind.value for kind in NotificationKind if self.instance.wants_email(kind.value)
        ]

    def save(self, commit=True):
        profile = super().save(commit=False)
        chosen = set(self.cleaned_data.get("email_notifications") or [])
        profile.email_preferences = {kind.value: kind.value in chosen for kind in NotificationKind}
        if commit:
            profile.save()
        return profile


def _max_years_validator(value):
    if value is not None and value > 60:
        raise ValidationError("Enter a number of years between 0 and 60.")


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        error_messages={"required": "Enter your password to confirm it is you."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        error_messages={"required": "Tick this box to confirm."},
        label="I understand that my profile, saved jobs, applications, notes and reminders "
        "are deleted for good.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password


class LoginForm(OurWording, allauth_forms.LoginForm):
    labels = {"remember": _LABELS["remember"]}


class ChangePasswordForm(OurWording, allauth_forms.ChangePasswordForm):
    labels = _LABELS


class SetPasswordForm(OurWording, allauth_forms.SetPasswordForm):
    labels = {"password1": "Password", "password2": "Password again"}


class ResetPasswordForm(OurWording, allauth_forms.ResetPasswordForm):
    labels = {"email": "Email address"}


class ResetPasswordKeyForm(OurWording, allauth_forms.ResetPasswordKeyForm):
    labels = _LABELS


class ReauthenticateForm(OurWording, allauth_forms.ReauthenticateForm):
    labels = {"password": "Your password"}


class ChangeEmailForm(OurWording, allauth_forms.ChangeEmailForm):
    labels = {"email": "New email address"}
