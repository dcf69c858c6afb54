"""Forms of saved searches and notification settings."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from tracking.models import NotificationSettings, SavedSearch

# Parameters of /jobs/ that a saved search keeps (the page number is not one of them).
# The names in the URL (jobs/board/search/params.py): "salary" and "posted", not the fields'
# names, which dropped both filters from saved searches.
KEPT_PARAMS = ("q", "country", "location", "workplace", "type", "level", "company", "salary",
               "currency", "posted", "sort")  # fmt: skip


def clean_querystring(raw: str) -> str:
    raw = (raw or "").strip()
    if "?" in raw:
        raw = raw.split("?", 1)[1]
    source = QueryDict(raw)
    kept = QueryDict(mutable=True)
    for key in KEPT_PARAMS:
        values = [v for v in source.getlist(key) if v.strip()]
        if values:
            kept.setlist(key, values)
    return kept.urlencode()


class SavedSearchForm(forms.ModelForm):
    querystring = forms.CharField(
        label="Search", required=False, max_length=1000, widget=forms.HiddenInput
    )

    class Meta:
        model = SavedSearch
        fields = ["name", "frequency", "querystring"]
        widgets = {"frequency": forms.RadioSelect}
        help_texts = {"frequency": "One email listing the postings published since the last one."}

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the search a name.")
        return name

    def clean_querystring(self) -> str:
        return clean_querystring(self.cleaned_data.get("querystring", ""))


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["expiry_warning_days"]
        help_texts = {
            "expiry_warning_days": "Days before a saved job's deadline (0 = only on the day). "
            "A last reminder always comes on the day itself."
        }
