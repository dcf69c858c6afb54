"""Forms of the saved-jobs pages. Ownership of ids is checked here (querysets through the
owner), so another user's collection or saved job is simply "not a valid choice"."""

from __future__ import annotations

from django import forms

from tracking.models import Collection, SavedJob
from tracking.saved.selectors import SORTS
from tracking.saved.services import COLLECTION_NAME_MAX, NOTE_MAX


class CollectionForm(forms.Form):
    name = forms.CharField(label="Collection name", max_length=COLLECTION_NAME_MAX)


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX}),
        help_text=f"A short note for yourself, up to {NOTE_MAX} characters.",
    )


class SavedJobCollectionsForm(forms.Form):
    collections = forms.ModelMultipleChoiceField(
        label="Collections",
        queryset=Collection.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collections"].queryset = Collection.objects.for_user(user)


class SavedFilterForm(forms.Form):
    sort = forms.ChoiceField(label="Sort by", choices=list(SORTS.items()), required=False)
    collection = forms.ModelChoiceField(
        label="Collection",
        queryset=Collection.objects.none(),
        required=False,
        empty_label="All saved jobs",
    )
    expiring = forms.BooleanField(label="Expiring within 7 days", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = Collection.objects.for_user(user)


BULK_ACTIONS = [
    ("", "Choose an action…"),
    ("move", "Add to collection"),
    ("uncollect", "Take out of collection"),
    ("track", "Track on the board"),
    ("remove", "Remove from saved jobs"),
]


class BulkForm(forms.Form):
    action = forms.ChoiceField(label="With the selected jobs", choices=BULK_ACTIONS)
    ids = forms.ModelMultipleChoiceField(
        queryset=SavedJob.objects.none(),
        error_messages={
            "required": "Tick at least one saved job first.",
            "invalid_choice": "Some of the ticked jobs are no longer in your saved jobs.",
            "invalid_pk_value": "Some of the ticked jobs are no longer in your saved jobs.",
        },
    )
    collection = forms.ModelChoiceField(
        label="Collection", queryset=Collection.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].queryset = SavedJob.objects.for_user(user)
        self.fields["collection"].queryset = Collection.objects.for_user(user)
        self.fields["action"].error_messages["required"] = "Choose an action."

    def clean(self):
        data = super().clean()
        if data.get("action") in ("move", "uncollect") and not data.get("collection"):
            self.add_error("collection", "Choose the collection.")
        return data
