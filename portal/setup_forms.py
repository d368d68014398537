"""The forms of /setup/ and /settings/: the same forms in both, so the wizard and the settings
never disagree about what a value may be."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from assembly.models import AssemblyConfiguration, User
from commons_registry.models import Category
from workshops.models import Rhythm

IDENTITY_FIELDS = [
    "name",
    "city",
    "tagline",
    "contact_email",
    "languages",
    "map_latitude",
    "map_longitude",
]
RULES_FIELDS = [
    "membership_min_sessions",
    "membership_window_days",
    "discussion_days",
    "vote_days",
    "vote_quorum_percent",
]
RHYTHM_FIELDS = [
    "weekday",
    "week_of_month",
    "start_times",
    "duration_minutes",
    "default_venue",
    "meeting_title",
    "months_ahead",
]
CATEGORY_FIELDS = ["name", "slug", "colour", "order"]


class IdentityForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages people may choose at the foot of each page."),
    )

    class Meta:
        model = AssemblyConfiguration
        fields = IDENTITY_FIELDS
        labels = {
            "map_latitude": _("Latitude of the town"),
            "map_longitude": _("Longitude of the town"),
        }
        help_texts = {
            "map_latitude": _("Where the map opens, e.g. 50.6292 for Lille."),
            "map_longitude": _("e.g. 3.0573 for Lille."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["languages"] = self.instance.language_codes

    def clean_languages(self):
        return ",".join(self.cleaned_data["languages"])

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("map_latitude"), cleaned.get("map_longitude")
        if (latitude is None) != (longitude is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude, or neither."))
        return cleaned


class RulesForm(forms.ModelForm):
    class Meta:
        model = AssemblyConfiguration
        fields = RULES_FIELDS


class RhythmForm(forms.ModelForm):
    class Meta:
        model = Rhythm
        fields = RHYTHM_FIELDS
        help_texts = {
            "start_times": _(
                "Comma-separated, e.g. 12:00,18:00: successive meetings alternate between them."
            )
        }


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = CATEGORY_FIELDS


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a person"), max_length=100, required=False)


class FirstAdministratorForm(forms.Form):
    """The account the set-up link creates, for an operator not signed in yet."""

    display_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput, strip=False
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(
                email=cleaned.get("email") or "", display_name=cleaned.get("display_name") or ""
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
