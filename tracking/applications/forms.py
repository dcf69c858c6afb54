"""Forms parse and check input; the services in tracking/applications/services.py do the writing."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError

from config import limits
from config.dates import validate_in_range
from config.timezones import ZoneSelect, timezone_choices
from tracking.models import Application, Contact, InterviewKind, StageKind

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".txt", ".rtf", ".md")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ExternalApplicationForm(forms.Form):
    company_name = forms.CharField(label="Company", max_length=200)
    title = forms.CharField(label="Job title", max_length=200)
    url = forms.URLField(label="Job URL", max_length=500, required=False, assume_scheme="https")
    location = forms.CharField(max_length=200, required=False)
    source = forms.CharField(
        max_length=100,
        required=False,
        help_text="Where you found it: a company site, a referral, LinkedIn…",
    )
    stage = forms.ModelChoiceField(queryset=None, empty_label=None)
    posting_text = forms.CharField(
        label="Posting text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=limits.POSTING_TEXT,
        help_text="Optional: paste the job ad so you have it when the page is gone.",
    )

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stages


class ApplicationForm(forms.ModelForm):
    url = forms.URLField(label="Job URL", max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Application
        fields = [
            "company_name",
            "title",
            "url",
            "location",
            "applied_at",
            "source",
            "salary_expectation",
            "next_action",
            "resume_version",
            "cover_letter_version",
            "document",
            "posting_text",
        ]
        widgets = {
            "applied_at": DateTimeLocalInput(),
            "posting_text": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"applied_at": "In your timezone."}

    def clean_document(self):
        f = self.cleaned_data.get("document")
        if f and hasattr(f, "size") and getattr(f, "content_type", None) is not None:
            if f.size > MAX_DOCUMENT_BYTES:
                raise ValidationError("That file is over 2 MB; upload a smaller one.")
            if not f.name.lower().endswith(DOCUMENT_EXTENSIONS):
                raise ValidationError("Upload a PDF, Word, OpenDocument, RTF or text file.")
        return f


class MoveForm(forms.Form):
    stage = forms.ModelChoiceField(queryset=None, empty_label=None)
    position = forms.IntegerField(min_value=0, required=False)

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stages


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown works: **bold**, lists, links.",
        max_length=limits.NOTE_BODY,
    )


class ReminderForm(forms.Form):
    due_at = forms.DateTimeField(
        label="Follow up on",
        required=False,
        widget=DateTimeLocalInput(),
        help_text="In your timezone. Or use a quick pick.",
        validators=[validate_in_range],
    )
    message = forms.CharField(
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Email the recruiter"}),
    )
    quick = forms.ChoiceField(
        choices=[("", "Pick a date"), ("3d", "In 3 days"), ("1w", "In a week")], required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("quick") and not data.get("due_at") and "due_at" not in self.errors:
            self.add_error("due_at", "When should we remind you? Pick a date and time.")
        return data


class SnoozeForm(forms.Form):
    by = forms.ChoiceField(choices=[("1d", "1 day"), ("3d", "3 days"), ("1w", "1 week")])


class InterviewForm(forms.Form):
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_in_range]
    )
    start_time = forms.TimeField(
        label="Starts", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label="Ends", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    timezone = forms.ChoiceField(choices=timezone_choices, widget=ZoneSelect)
    kind = forms.ChoiceField(choices=InterviewKind.choices)
    location = forms.CharField(label="Place or link", max_length=500, required=False)
    people = forms.CharField(label="With", max_length=300, required=False)
    prep_notes = forms.CharField(
        label="Preparation notes",
        required=False,
        max_length=limits.PREP_NOTES,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        data = super().clean()
        date, start, end, tzname = (
            data.get("date"),
            data.get("start_time"),
            data.get("end_time"),
            data.get("timezone"),
        )
        if date and start and end and tzname:
            tz = zoneinfo.ZoneInfo(tzname)
            data["starts_at"] = datetime.combine(date, start, tzinfo=tz)
            data["ends_at"] = datetime.combine(date, end, tzinfo=tz)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", "The interview must end after it starts.")
        return data

    @classmethod
    def initial_for(cls, interview) -> dict:
        local = interview.starts_at.astimezone(zoneinfo.ZoneInfo(interview.timezone))
        end = interview.ends_at.astimezone(zoneinfo.ZoneInfo(interview.timezone))
        return {
            "date": local.date(),
            "start_time": local.time().replace(second=0, microsecond=0),
            "end_time": end.time().replace(second=0, microsecond=0),
            "timezone": interview.timezone,
            "kind": interview.kind,
            "location": interview.location,
            "people": interview.people,
            "prep_notes": interview.prep_notes,
        }


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class StageChangeDateForm(forms.Form):
    changed_at = forms.DateTimeField(
        label="When it happened", widget=DateTimeLocalInput(), help_text="In your timezone."
    )  # the range (config.dates) is checked by stage_change_edit_date, after "not in the future"


class StageForm(forms.Form):
    name = forms.CharField(max_length=60)
    kind = forms.ChoiceField(
        choices=StageKind.choices,
        initial=StageKind.ACTIVE,
        help_text="Ending stages close the journey (no stale flag).",
    )


class StageRenameForm(forms.Form):
    name = forms.CharField(max_length=60, label="New name")


class TrackingSettingsForm(forms.Form):
    stale_after_days = forms.IntegerField(
        label="Flag cards as stale after (days)",
        min_value=1,
        max_value=365,
        help_text="A card with no activity for this many days gets a “stale” flag.",
    )


class ListFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    stage = forms.ModelChoiceField(queryset=None, required=False, empty_label="All stages")
    stale = forms.BooleanField(label="Only stale", required=False)
    reminder = forms.BooleanField(label="With a reminder", required=False)
    archived = forms.BooleanField(label="Include archived", required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stages
