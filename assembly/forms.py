"""Forms of the person: sign-up's extra field and the profile on /me/."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class SignupForm(forms.Form):
    """Extra fields allauth's sign-up form asks for (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("How other participants will see you, e.g. “Camille D.”."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["display_name", "email", "password1", "password2"]

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.language = getattr(request, "LANGUAGE_CODE", user.language) or user.language
        user.save(update_fields=["display_name", "language"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "bio", "listed", "wants_reminders", "language"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account will be deleted and that this cannot be undone."),
        required=True,
    )


class AddEmailForm(forms.Form):
    """A facilitator gives an e-mail to a person registered at the door without one."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person receives a link to choose a password and claim the account."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
