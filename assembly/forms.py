"""Forms of the person (sign-up's extra field, the profile on /me/), and two helpers for every
app's forms: a multiple choice of rows that refuses impossible ids, and a refusal in words."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreferences, User
from .notifications import subscriptions

# The largest primary key a database column holds (a signed 64-bit integer).
LARGEST_ID = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, except that an id no database column can hold is an invalid choice.

    Django looks all the chosen ids up at once (`pk__in`), and SQLite cannot even be asked about
    an integer past 64 bits: the form raised OverflowError (a 500) instead of saying "not one of
    the available choices".
    """

    def _check_values(self, value):
        if self.to_field_name is None:
            for chosen in value:
                try:
                    number = int(chosen)
                except (TypeError, ValueError):
                    continue  # Django refuses it as "not a valid value"
                if not -LARGEST_ID - 1 <= number <= LARGEST_ID:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": chosen},
                    )
        return super()._check_values(value)


def reasons(form: forms.BaseForm) -> str:
    """A refused form's errors in one line, each after its field's label: for a message shown
    after a redirect, where the form itself is not shown again."""
    said = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        said += [
            _("%(label)s: %(error)s") % {"label": label, "error": error} if label else str(error)
            for error in errors
        ]
    return " ".join(said)


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


class AddEmailForm(forms.Form):
    """A facilitator gives an e-mail to a person registered at the door without one."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person receives a link to choose a password and claim the account."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class NotificationPreferencesForm(forms.ModelForm):
    """Per topic: as it happens, weekly digest, or never."""

    class Meta:
        model = NotificationPreferences
        fields = ["assemblies", "decisions", "commons", "own", "gatherings"]
        widgets = {
            "assemblies": forms.RadioSelect,
            "decisions": forms.RadioSelect,
            "commons": forms.RadioSelect,
            "own": forms.RadioSelect,
            "gatherings": forms.RadioSelect,
        }
        help_texts = {
            "assemblies": _("The announcement of each assembly, its reminders and cancellations."),
            "decisions": _("A discussion opens, a vote opens, vote reminders, the outcome."),
            "commons": _("New entries in the directory, and the entries I steward."),
            "own": _("My workshops, my proposals, replies to my comments."),
            "gatherings": _(
                "The sessions of a gathering I registered for or facilitate: a place freed on "
                "the waitlist, a change, my proposals answered."
            ),
        }


class SubscribeForm(forms.Form):
    """The "info" list: an address and a language, nothing else."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
