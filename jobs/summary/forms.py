from django import forms


class SkillAddForm(forms.Form):
    skill = forms.CharField(
        max_length=60,
        error_messages={
            "required": "Enter a skill.",
            "max_length": "Keep a skill under 60 characters.",
        },
    )
