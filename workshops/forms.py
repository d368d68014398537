"""Forms of meetings and workshops: they validate input; services apply the rules."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from assembly.online_links import OnlineLinkField
from assembly.pickers import PickerFormMixin
from commons_registry.forms import related_commons_field

from .models import Meeting, Venue, Workshop
from .services import VENUE_FIELDS

# What <input type="datetime-local"> sends and expects: local wall-clock time, no seconds.
LOCAL_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class WorkshopForm(PickerFormMixin, forms.ModelForm):
    related_commons = related_commons_field()
    online_link = OnlineLinkField(help_text=Workshop._meta.get_field("online_link").help_text)

    class Meta:
        model = Workshop
        fields = [
            "title",
            "description",
            "needs_work_tables",
            "needs_whiteboard",
            "needs_projector",
            "needs_good_internet",
            "capacity",
            "online_link",
            "related_commons",
        ]
        help_texts = {
            "description": _("What will you do together? Markdown works."),
            "capacity": _("Leave empty when anyone may join."),
        }

    def workshop_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("related_commons", None)
        return data


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea,
        help_text=_("What was said and decided. Markdown works."),
    )
    # The revision the text was based on: a save based on a stale one does not overwrite.
    revision = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("The form arrived damaged: check your text below and save it again.")
        },
    )


class WalkInForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("They will get a link to claim their account."),
    )
    workshop = forms.ModelChoiceField(
        label=_("Ticked at"),
        queryset=None,
        required=False,
        empty_label=_("At the meeting"),
    )

    def __init__(self, *args, workshops=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["workshop"]
        if hasattr(workshops, "all"):
            field.queryset = workshops
        elif workshops:
            # Already loaded by the sheet: offer them without a second query.
            field.queryset = Workshop.objects.none()
            field.choices = [("", field.empty_label)] + [(w.pk, w.title) for w in workshops]
        else:
            del self.fields["workshop"]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Find a person"), required=False, max_length=100)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=LOCAL_DATETIME_FORMAT)


class MeetingForm(forms.ModelForm):
    """A meeting's title, kind, times (in the assembly's time zone) and venue."""

    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Give the day and time it starts."),
            "invalid": _("Give the day and time as 26/11/2026 18:00."),
        },
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Give the day and time it ends."),
            "invalid": _("Give the day and time as 26/11/2026 21:00."),
        },
    )
    online_link = OnlineLinkField(help_text=Meeting._meta.get_field("online_link").help_text)

    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "ends_at", "venue", "online_link"]
        labels = {"kind": _("Kind of meeting"), "title": _("Title"), "venue": _("Venue")}
        help_texts = {"kind": _("An assembly gets its initiation to the commons workshop.")}
        error_messages = {"title": {"required": _("Give the meeting a title.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = Venue.objects.order_by("name")
        self.fields["venue"].empty_label = _("To be announced")

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return cleaned

    def _post_clean(self):
        # The service checks the rules and saves; the model's own validation would only repeat
        # the end-after-start check in English words of the database constraint.
        pass


class NewMeetingForm(MeetingForm):
    class Meta(MeetingForm.Meta):
        fields = [*MeetingForm.Meta.fields, "plenary_notes"]
        labels = {**MeetingForm.Meta.labels, "plenary_notes": _("Plenary notes")}
        help_texts = {
            **MeetingForm.Meta.help_texts,
            "plenary_notes": _("Optional: what the plenary will cover. Markdown works."),
        }


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the meeting's page and sent to its hosts and signed-up people."),
        error_messages={"required": _("Say why the meeting is cancelled.")},
    )


def _coordinate(label, help_text, invalid, out_of_range, limit):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=-limit,
        max_value=limit,
        help_text=help_text,
        error_messages={"invalid": invalid, "min_value": out_of_range, "max_value": out_of_range},
    )


class VenueForm(forms.ModelForm):
    latitude = _coordinate(
        _("Latitude"),
        _("In decimal degrees, e.g. 50.6292. Leave empty with the longitude if unknown."),
        _("Write the latitude as a number, e.g. 50.6292."),
        _("The latitude lies between -90 and 90."),
        90,
    )
    longitude = _coordinate(
        _("Longitude"),
        _("In decimal degrees, e.g. 3.0573."),
        _("Write the longitude as a number, e.g. 3.0573."),
        _("The longitude lies between -180 and 180."),
        180,
    )

    class Meta:
        model = Venue
        fields = list(VENUE_FIELDS)
        labels = {
            "name": _("Name"),
            "address": _("Address"),
            "accessibility": _("Accessibility notes"),
            "has_work_tables": _("Work tables"),
            "has_whiteboard": _("Whiteboard"),
            "has_projector": _("Projector"),
            "has_good_internet": _("Good internet"),
        }
        help_texts = {
            "accessibility": _(
                "Step-free access, lift, toilets, hearing loop, how to find the room…"
            ),
        }
        error_messages = {"name": {"required": _("Give the venue a name.")}}

    def _clean_coordinate(self, name):
        value = self.cleaned_data.get(name)
        # A pasted map coordinate often has more decimals than we keep: about 10 cm is plenty.
        return None if value is None else value.quantize(Decimal("0.000001"))

    def clean_latitude(self):
        return self._clean_coordinate("latitude")

    def clean_longitude(self):
        return self._clean_coordinate("longitude")

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        valid = "latitude" not in self.errors and "longitude" not in self.errors
        if valid and (latitude is None) != (longitude is None):
            self.add_error(
                "longitude" if longitude is None else "latitude",
                _("Give both the latitude and the longitude, or neither."),
            )
        return cleaned

    def venue_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
