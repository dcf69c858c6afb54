"""Forms of live sources: staff add / edit, an employer connecting their company's board."""

from __future__ import annotations

from django import forms
from django_countries import countries

from jobs.models import SourceKind, SourceTrust

COUNTRY_CHOICES = [("", "— none —"), *list(countries)]


class _Common(forms.Form):
    endpoint = forms.CharField(
        label="Board URL or token",
        max_length=500,
        help_text="The board's full https:// URL (for JSON-LD: the sitemap or jobs index page; "
        "for a feed: its URL), or the board token, e.g. “acme” for "
        "boards-api.greenhouse.io/v1/boards/acme.",
    )
    default_country = forms.ChoiceField(
        choices=COUNTRY_CHOICES,
        required=False,
        label="Country of locations without one",
        help_text="Some boards give bare city names (Personio offices): this completes them.",
    )


class SourceForm(_Common):
    kind = forms.ChoiceField(choices=SourceKind.choices)
    company = forms.CharField(
        max_length=200, help_text="The company's name on the board (created if it is new)."
    )
    trust = forms.ChoiceField(choices=SourceTrust.choices, initial=SourceTrust.REVIEW)
    schedule_minutes = forms.IntegerField(
        label="Sync every (minutes)", min_value=5, max_value=7 * 24 * 60, initial=60
    )

    field_order = ["kind", "company", "endpoint", "trust", "schedule_minutes", "default_country"]


class SourceEditForm(_Common):
    trust = forms.ChoiceField(choices=SourceTrust.choices)
    schedule_minutes = forms.IntegerField(
        label="Sync every (minutes)", min_value=5, max_value=7 * 24 * 60
    )


class ConnectForm(_Common):
    kind = forms.ChoiceField(label="Your applicant-tracking system", choices=SourceKind.choices)

    field_order = ["kind", "endpoint", "default_country"]


class SyncNowForm(forms.Form):
    allow_closing = forms.BooleanField(required=False)
