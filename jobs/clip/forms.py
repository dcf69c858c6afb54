from django import forms

from jobs.clip.api import MAX_BYTES

WORKPLACES = [("", "Not said"), ("onsite", "On-site"), ("hybrid", "Hybrid"), ("remote", "Remote")]


class PasteForm(forms.Form):
    """Step one: the page, as its URL and its text or HTML."""

    url = forms.URLField(label="Job URL", required=False, max_length=2000, assume_scheme="https")
    content = forms.CharField(
        label="The page's text or HTML",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Select all on the job's page and copy, or paste its HTML source.",
    )

    def clean_content(self):
        content = self.cleaned_data["content"]
        if len(content.encode()) > MAX_BYTES:
            raise forms.ValidationError("That is over 2 MB: paste the job's text only.")
        return content


class KeepForm(forms.Form):
    """Step two: what was found, to correct, then save or track."""

    url = forms.URLField(label="Job URL", required=False, max_length=2000, assume_scheme="https")
    title = forms.CharField(label="Job title", max_length=200)
    company = forms.CharField(max_length=200)
    location = forms.CharField(max_length=200, required=False)
    workplace = forms.ChoiceField(choices=WORKPLACES, required=False)
    employment_type = forms.CharField(label="Employment type", max_length=50, required=False)
    salary = forms.CharField(max_length=100, required=False)
    valid_through = forms.DateField(
        label="Closes on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="You get the “saved job expiring” email before this day.",
    )
    description = forms.CharField(
        label="Job description", widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    canonical_url = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    apply_url = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    stage = forms.ChoiceField(label="Stage (when tracking)", required=False)
    collection = forms.CharField(label="Collection (optional)", max_length=60, required=False)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        stage = self.fields["stage"]
        assert isinstance(stage, forms.ChoiceField)
        stage.choices = [("", "Default (Saved)")] + [(s.name, s.name) for s in stages]
