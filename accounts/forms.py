from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from accounts.models import Profile


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        max_length=100, required=False, help_text="How Jobtrail greets you. Optional."
    )

    def save(self, request):
        user = super().save(request)
        if self.cleaned_data.get("display_name"):
            Profile.objects.filter(user=user).update(display_name=self.cleaned_data["display_name"])
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [
            "display_name",
            "headline",
            "skills",
            "years_of_experience",
            "preferred_locations",
            "timezone",
        ]


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my saved jobs, applications, notes and reminders are deleted for good."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password
