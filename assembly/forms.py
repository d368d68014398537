"""Forms of the person: sign-up's extra field and the profile on /me/."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreferences, User
from .notifications import subscriptions


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
        # An address already on the "info" list: its subscription joins the new account.
        subscriptions.join_subscription(user)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "bio", "listed", "language"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account will be deleted and that this cannot be undone."),
        required=True,
    )


class NotificationPreferencesForm(forms.ModelForm):
    """Per topic: as it happens, weekly digest, or never."""

    class Meta:
        model = NotificationPreferences
        fields = ["assemblies", "decisions", "commons", "own"]
        widgets = {
            "assemblies": forms.RadioSelect,
            "decisions": forms.RadioSelect,
            "commons": forms.RadioSelect,
            "own": forms.RadioSelect,
        }
        help_texts = {
            "assemblies": _("The announcement of each assembly, its reminders and cancellations."),
            "decisions": _("A discussion opens, a vote opens, vote reminders, the outcome."),
            "commons": _("New entries in the directory, and the entries I steward."),
            "own": _("My workshops, my proposals, replies to my comments."),
        }


class SubscribeForm(forms.Form):
    """The "info" list: an address and a language, nothing else."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
