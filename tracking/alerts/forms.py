"""Forms of saved searches and notification settings."""

from __future__ import annotations

from django import forms

# The search's own parameter names and parsing (jobs/board/search/params.py): a saved search
# keeps exactly what /jobs/ reads, so its digest finds what the search page shows.
from jobs.board.search import normalize_querystring
from tracking.models import NotificationSettings, SavedSearch


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
        return normalize_querystring(self.cleaned_data.get("querystring", ""))


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["expiry_warning_days"]
        help_texts = {
            "expiry_warning_days": "Days before a saved job's deadline (0 = only on the day). "
            "A last reminder always comes on the day itself."
        }
