"""Employer and staff forms. They validate and name the field; the services do the writing."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django_countries import countries

from config import limits
from config.dates import validate_in_range
from config.markdown import render_markdown
from jobs.employer.logos import logo_from_upload
from jobs.employer.services import MAX_EXTEND_DAYS, LocationInput
from jobs.models import (
    EmploymentType,
    Level,
    Posting,
    ReviewPolicy,
    SalaryPeriod,
    Workplace,
)
from jobs.sanitize import clean_html, html_to_text

MAX_LOCATIONS = 20
MAX_SALARY = 100_000_000
MAX_DESCRIPTION = limits.POSTING_DESCRIPTION
_HTML_BLOCK = re.compile(r"<\s*(p|ul|ol|li|h[1-6]|div|br|table|blockquote|pre)\b", re.I)


def description_to_html(text: str) -> str:
    """Employers write Markdown or basic HTML; either way the result is sanitized HTML."""
    text = (text or "").strip()
    if not text:
        return ""
    if _HTML_BLOCK.search(text):
        return clean_html(text)
    return render_markdown(text)


def description_from_input(text: str, *, typed: int, stored: int) -> str:
    """A description field's sanitized HTML, or a ValidationError naming the limit.

    Markdown is limited to `typed` characters (what rendering may cost). HTML, pasted or
    coming back from the stored description when a posting is edited again, goes only through
    the sanitizer and may be as long as the column (`stored`): otherwise a description whose
    HTML grew past `typed` could not be saved again unchanged."""
    is_html = bool(_HTML_BLOCK.search(text or ""))
    limit = stored if is_html else typed
    if len(text or "") > limit:
        raise ValidationError(
            f"Ensure this value has at most {limit:,} characters (it has {len(text):,})."
        )
    html = description_to_html(text)
    # Sanitized HTML is longer than the Markdown it comes from (each link gains a `rel`).
    if len(html) > stored:
        raise ValidationError(
            f"Once formatted, this text is {len(html):,} characters of HTML; at most "
            f"{stored:,} fit. Shorten it, or use fewer links and less formatting."
        )
    return html


def _country_code(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if len(value) == 2 and value.upper() in countries:
        return value.upper()
    code = countries.by_name(value, insensitive=True)
    if code:
        return code
    aliases = {
        "usa": "US",
        "united states": "US",
        "uk": "GB",
        "england": "GB",
        "scotland": "GB",
        "wales": "GB",
        "the netherlands": "NL",
        "south korea": "KR",
        "russia": "RU",
        "vietnam": "VN",
    }
    return aliases.get(value.lower())


def parse_locations(text: str) -> list[LocationInput]:
    """One location a line: "City, Region, Country", "City, Country" or "Country". The country
    is a name ("Germany") or a two-letter code ("DE")."""
    result: list[LocationInput] = []
    errors: list[str] = []
    lines = [line.strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) > MAX_LOCATIONS:
        raise ValidationError(f"At most {MAX_LOCATIONS} locations, please.")
    for n, line in enumerate(lines, 1):
        parts = [p.strip() for p in line.split(",")]
        parts = [p for p in parts if p]
        if not parts:
            continue
        country = _country_code(parts[-1])
        if country is None:
            errors.append(
                f"Line {n}: “{parts[-1][:60]}” is not a country we know. "
                "End the line with a country name or a two-letter code such as DE."
            )
            continue
        city = parts[0] if len(parts) >= 2 else ""
        region = ", ".join(parts[1:-1]) if len(parts) >= 3 else ""
        if len(city) > 120 or len(region) > 120:
            errors.append(f"Line {n}: the city or region is too long.")
            continue
        result.append(LocationInput(city=city, region=region, country=country))
    if errors:
        raise ValidationError(errors)
    return result


def locations_to_text(posting: Posting) -> str:
    lines = []
    for loc in posting.locations.all():
        parts = [loc.city, loc.region, loc.country.name]
        lines.append(", ".join(p for p in parts if p))
    return "\n".join(lines)


def parse_how_to_apply(value: str) -> tuple[str, str]:
    """(apply_url, apply_email) from one field holding a URL or an email address."""
    value = (value or "").strip()
    if value.lower().startswith("mailto:"):
        value = value[7:].split("?")[0]
    if "@" in value and "/" not in value:
        EmailValidator(message="Enter a valid email address, e.g. jobs@example.com.")(value)
        if len(value) > 254:
            raise ValidationError("That email address is too long (254 characters at most).")
        return "", value
    url = value
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
        url = "https://" + url
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            "Enter a web address (https://example.com/apply) or an email address "
            "(jobs@example.com)."
        ) from None
    if len(url) > 500:
        raise ValidationError("That web address is too long (500 characters at most).")
    return url, ""


class CompanyForm(forms.Form):
    name = forms.CharField(max_length=200)
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")
    description = forms.CharField(
        required=False,
        max_length=limits.COMPANY_DESCRIPTION_HTML,  # HTML; Markdown is checked below
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown or basic HTML; scripts and styles are removed. "
        f"At most {limits.COMPANY_DESCRIPTION:,} characters.",
    )
    logo = forms.ImageField(
        required=False,
        help_text="PNG, JPEG, WebP or GIF, at most 2 MB; shown at 128 × 128 pixels beside your"
        " jobs. Without one, your initials are shown.",
    )
    remove_logo = forms.BooleanField(required=False, label="Remove the current logo")

    def __init__(self, *args: Any, has_logo: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_logo:  # nothing to remove: a new company, or one showing its initials
            del self.fields["remove_logo"]

    def clean_description(self) -> str:
        return description_from_input(
            self.cleaned_data["description"],
            typed=limits.COMPANY_DESCRIPTION,
            stored=limits.COMPANY_DESCRIPTION_HTML,
        )

    def clean_logo(self) -> bytes | None:
        """The upload as a 128 × 128 WebP (jobs/employer/logos.py), or None when none was sent."""
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return logo_from_upload(upload)


class MemberAddForm(forms.Form):
    """Invite someone by email (services.company_invitation_create). Whether the address has an
    account is not checked here: the answer is the same either way."""

    prefix = "member"  # shares a page with the company form
    email = forms.EmailField(
        max_length=limits.limit_for("jobs.CompanyInvitation.email").typed,
        help_text="We email them a link; they join once they accept, signed in as this address.",
    )
    role = forms.ChoiceField(choices=[("editor", "Editor"), ("owner", "Owner")])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class GroupCreateForm(forms.Form):
    prefix = "group"
    name = forms.CharField(max_length=200, label="Group name")


class GroupLimitForm(forms.Form):
    prefix = "limit"
    application_limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100,
        label="Application limit",
        help_text="At most this many applications per person across the group's companies, "
        "considered in the order applied. Leave empty for no limit.",
    )


class PostingForm(forms.Form):
    title = forms.CharField(max_length=200)
    team = forms.CharField(max_length=200, required=False)
    employment_type = forms.ChoiceField(choices=EmploymentType.choices, label="Employment type")
    level = forms.ChoiceField(choices=[("", "—")] + list(Level.choices), required=False)
    workplace = forms.ChoiceField(choices=Workplace.choices)
    locations = forms.CharField(
        required=False,
        max_length=limits.LOCATIONS_TEXT,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "Berlin, Germany\nAustin, Texas, US"}
        ),
        help_text="One a line: “City, Region, Country”, “City, Country” or just a country for "
        "remote work. Country as a name or two-letter code.",
    )
    description = forms.CharField(
        max_length=limits.POSTING_DESCRIPTION_HTML,  # HTML; Markdown is checked below
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Markdown or basic HTML (headings, lists, links). Scripts, styles and "
        f"event handlers are removed. At most {MAX_DESCRIPTION:,} characters.",
    )
    salary_min = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_SALARY, label="Salary from"
    )
    salary_max = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_SALARY, label="Salary to"
    )
    salary_currency = forms.CharField(
        required=False, max_length=3, label="Currency", help_text="Three letters, e.g. EUR."
    )
    salary_period = forms.ChoiceField(
        choices=SalaryPeriod.choices, label="Salary period", initial=SalaryPeriod.YEAR
    )
    how_to_apply = forms.CharField(
        max_length=500,
        label="How to apply",
        help_text="A web address (https://…) or an email address.",
    )
    review_policy = forms.ChoiceField(choices=ReviewPolicy.choices, label="Review policy")
    application_deadline = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Application deadline",
        help_text="Optional. The posting stays up until the end of this day, or 60 days without one.",
        validators=[validate_in_range],
    )

    def __init__(self, *args, instance: Posting | None = None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_from(posting: Posting) -> dict:
        initial = {
            name: getattr(posting, name)
            for name in (
                "title",
                "team",
                "employment_type",
                "level",
                "workplace",
                "description",
                "salary_min",
                "salary_max",
                "salary_currency",
                "salary_period",
                "review_policy",
                "application_deadline",
            )
        }
        initial["how_to_apply"] = posting.apply_url or posting.apply_email
        initial["locations"] = locations_to_text(posting)
        return initial

    def clean_description(self) -> str:
        html = description_from_input(
            self.cleaned_data["description"],
            typed=MAX_DESCRIPTION,
            stored=limits.POSTING_DESCRIPTION_HTML,
        )
        if not html_to_text(html).strip():
            raise ValidationError("Describe the job: the description has no text left.")
        return html

    def clean_locations(self) -> list[LocationInput]:
        return parse_locations(self.cleaned_data["locations"])

    def clean_salary_currency(self) -> str:
        value = self.cleaned_data["salary_currency"].strip().upper()
        if value and not re.fullmatch(r"[A-Z]{3}", value):
            raise ValidationError("Use a three-letter currency code such as EUR or USD.")
        return value

    def clean_how_to_apply(self) -> tuple[str, str]:
        return parse_how_to_apply(self.cleaned_data["how_to_apply"])

    def clean_application_deadline(self):
        deadline = self.cleaned_data["application_deadline"]
        unchanged = self.instance is not None and deadline == self.instance.application_deadline
        if deadline and deadline < timezone.localdate() and not unchanged:
            raise ValidationError("The deadline is in the past. Pick today or a later day.")
        return deadline

    def clean(self):
        data = super().clean()
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", f"The maximum ({high:,}) is below the minimum ({low:,}).")
        has_salary = low is not None or high is not None
        if has_salary and not data.get("salary_currency") and "salary_currency" not in self.errors:
            self.add_error("salary_currency", "Give the currency of the salary, e.g. EUR.")
        needs_place = data.get("workplace") in (Workplace.ONSITE, Workplace.HYBRID)
        if needs_place and not data.get("locations") and "locations" not in self.errors:
            self.add_error("locations", "Add at least one location for an on-site or hybrid job.")
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        apply_url, apply_email = data["how_to_apply"]
        return {
            "title": data["title"],
            "team": data["team"],
            "description": data["description"],
            "employment_type": data["employment_type"],
            "level": data["level"],
            "workplace": data["workplace"],
            "salary_min": data["salary_min"],
            "salary_max": data["salary_max"],
            "salary_currency": data["salary_currency"],
            "salary_period": data["salary_period"],
            "apply_url": apply_url,
            "apply_email": apply_email,
            "review_policy": data["review_policy"],
            "application_deadline": data["application_deadline"],
        }


class ExtendForm(forms.Form):
    days = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "—"),
            (7, "7 more days"),
            (14, "14 more days"),
            (30, "30 more days"),
            (60, "60 more days"),
        ],  # fmt: skip
        label="Extend by",
    )
    deadline = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Or a new application deadline",
        validators=[validate_in_range],
    )

    def clean_days(self):
        days = self.cleaned_data["days"]
        if days is not None and not 1 <= days <= MAX_EXTEND_DAYS:
            raise ValidationError(f"Extend by 1 to {MAX_EXTEND_DAYS} days.")
        return days

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline and deadline < timezone.localdate():
            raise ValidationError("The deadline is in the past. Pick today or a later day.")
        return deadline

    def clean(self):
        data = super().clean()
        if not self.errors:
            if data.get("days") is None and data.get("deadline") is None:
                self.add_error("days", "Choose how many days to add, or a new deadline.")
            elif data.get("days") is not None and data.get("deadline") is not None:
                self.add_error("deadline", "Choose either extra days or a new deadline, not both.")
        return data
