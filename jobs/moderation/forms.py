"""The staff reviewer's form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from config import limits


class RejectForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.REJECTION_REASON,
        label="Reason for the employer",
        error_messages={"required": "Give the employer a reason: it is sent to them."},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Give the employer a reason: it is sent to them.")
        return reason
