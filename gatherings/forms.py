"""Forms of gatherings and date polls: they validate input; services apply the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assembly.forms import ModelMultipleChoiceField
from assembly.models import User
from assembly.online_links import OnlineLinkField
from assembly.pickers import PersonChoiceField, PickerFormMixin
from workshops.forms import LOCAL_DATETIME_FORMAT, LocalDateTimeInput
from workshops.forms import NotesForm as RevisedNotesForm
from workshops.models import Venue

from .models import (
    EDITABLE_FIELDS,
    Format,
    Gathering,
    PollChoice,
    Session,
    Stop,
    Volunteer,
    formats_of,
)
from .pickers import facilitators_pool
from .services import Review

DATETIME_FORMATS = [LOCAL_DATETIME_FORMAT, "%Y-%m-%d %H:%M"]


def datetime_field(label, **kwargs):
    return forms.DateTimeField(
        label=label,
        widget=LocalDateTimeInput(),
        input_formats=DATETIME_FORMATS,
        error_messages={"invalid": _("Give the day and time as 2026-11-26 18:00.")},
        **kwargs,
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class GatheringForm(forms.ModelForm):
    class Meta:
        model = Gathering
        fields = ["title", "slug", *EDITABLE_FIELDS[1:]]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day cannot come before the first day."))
        return data


class GatheringEditForm(GatheringForm):
    class Meta(GatheringForm.Meta):
        fields = list(EDITABLE_FIELDS)


class _GatheringChoices:
    """Format and track choices limited to the gathering's own."""

    def limit_choices(self, gathering):
        self.fields["format"].queryset = formats_of(gathering)
        self.fields["format"].label_from_instance = lambda format: format.label
        if "track" in self.fields:
            self.fields["track"].queryset = gathering.tracks.all()


class ProposalForm(_GatheringChoices, forms.ModelForm):
    class Meta:
        model = Session
        fields = ["title", "format", "track", "description", "needs", "preferred_slot"]
        help_texts = {
            "needs": _("Room, tables, projector, a facilitator…"),
            "preferred_slot": _("For example: Saturday morning."),
        }

    def __init__(self, *args, gathering, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(gathering)


class SessionForm(_GatheringChoices, forms.ModelForm):
    """What organisers change of a session (its place on the grid has its own form)."""

    class Meta:
        model = Session
        fields = ["title", "format", "track", "description", "capacity", "chantier", "online_link"]

    online_link = OnlineLinkField(help_text=_("Shown to registered people only."))

    def __init__(self, *args, gathering, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_choices(gathering)


class ReviewForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (Review.ACCEPT, _("Accept")),
            (Review.CHANGES, _("Ask for changes")),
            (Review.DECLINE, _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the person who proposed it"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _sites_with_rooms(gathering) -> list:
    """The gathering's sites with their venue and rooms: the places a session can be given. A
    page showing several forms that need them reads them once and gives them to each."""
    return list(gathering.sites.select_related("venue").prefetch_related("rooms"))


class PlaceForm(forms.Form):
    """Where and when on the grid: a room, a site, or a stop of a walk, as one choice."""

    starts_at = datetime_field(_("Starts"))
    ends_at = datetime_field(_("Ends"))
    place = forms.ChoiceField(label=_("Where"))

    def __init__(self, *args, gathering, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.gathering = gathering
        sites = _sites_with_rooms(gathering) if sites is None else sites
        choices = []
        self.places = {"site": {}, "room": {}, "stop": {}}
        for site in sites:
            choices.append((f"site:{site.pk}", str(site)))
            self.places["site"][site.pk] = site
            for room in site.rooms.all():
                choices.append((f"room:{room.pk}", f"{site} — {room.name}"))
                self.places["room"][room.pk] = room
        stops = Stop.objects.filter(parcours__gathering=gathering).select_related(
            "parcours", "site__venue"
        )
        choices += [(f"stop:{stop.pk}", str(stop)) for stop in stops]
        self.places["stop"] = {stop.pk: stop for stop in stops}
        self.fields["place"].choices = choices

    def placement(self) -> dict:
        kind, pk = self.cleaned_data["place"].split(":")
        return {
            "starts_at": self.cleaned_data["starts_at"],
            "ends_at": self.cleaned_data["ends_at"],
            kind: self.places[kind][int(pk)],
        }


class SplitForm(forms.Form):
    """The rooms (or sites without rooms) where the other groups of a split session meet."""

    places = forms.MultipleChoiceField(
        label=_("Rooms or spaces for the other groups"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, gathering, sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {}
        choices = []
        for site in _sites_with_rooms(gathering) if sites is None else sites:
            rooms = list(site.rooms.all())
            if not rooms:
                self.places[f"site:{site.pk}"] = site
                choices.append((f"site:{site.pk}", str(site)))
            for room in rooms:
                self.places[f"room:{room.pk}"] = room
                choices.append((f"room:{room.pk}", f"{site} — {room.name}"))
        self.fields["places"].choices = choices

    def chosen(self) -> list:
        return [self.places[key] for key in self.cleaned_data["places"]]


class AssignForm(PickerFormMixin, forms.Form):
    # Chosen with the people picker: the session's page stays small however large the pool.
    person = PersonChoiceField(source="gathering-pool", label=_("Facilitator"))

    def __init__(self, *args, gathering, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].among(facilitators_pool(gathering), gathering.slug)


class VolunteerForm(forms.ModelForm):
    formats = ModelMultipleChoiceField(
        label=_("Formats you can facilitate"),
        queryset=Format.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Volunteer
        fields = ["formats", "availability"]
        help_texts = {"availability": _("For example: all of Saturday, Sunday morning.")}

    def __init__(self, *args, gathering, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["formats"].queryset = formats_of(gathering)
        self.fields["formats"].label_from_instance = lambda format: format.label


class NotesForm(RevisedNotesForm):
    """A session's notes or the gathering's minutes, with the revision they were based on (the
    hidden `revision` of workshops' notes form): a save based on a stale one does not overwrite."""

    notes = forms.CharField(
        label=_("Notes (Markdown)"), required=False, max_length=100_000, widget=forms.Textarea
    )


class SiteForm(forms.Form):
    venue = forms.ModelChoiceField(
        label=_("An existing venue"), queryset=Venue.objects.order_by("name"), required=False
    )
    name = forms.CharField(label=_("or a new venue's name"), max_length=200, required=False)
    address = forms.CharField(label=_("its address"), max_length=300, required=False)
    rooms = forms.CharField(
        label=_("Rooms or spaces, one a line"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("venue") and not (data.get("name") or "").strip():
            raise forms.ValidationError(_("Choose a venue or name a new one."))
        return data

    def room_names(self) -> list[str]:
        return [
            line.strip()[:120] for line in self.cleaned_data["rooms"].splitlines() if line.strip()
        ]


class NameForm(forms.Form):
    """A track's or a format's name."""

    name = forms.CharField(label=_("Name"), max_length=80)


class WalkForm(forms.Form):
    """A walk's title and track, to create it or rename it. Choices come from lists the page
    already read, so that a page with many walks reads its tracks once."""

    title = forms.CharField(label=_("Title of the walk"), max_length=200)
    track = forms.TypedChoiceField(label=_("Track"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, tracks, **kwargs):
        super().__init__(*args, **kwargs)
        self.tracks = {track.pk: track for track in tracks}
        self.fields["track"].choices = [("", "—")] + [(t.pk, t.name) for t in tracks]

    def chosen_track(self):
        return self.tracks.get(self.cleaned_data["track"])


class StopForm(forms.Form):
    """A stop to add to a walk: one of the gathering's sites, at a time on one of its days."""

    site = forms.TypedChoiceField(
        label=_("Site"),
        coerce=int,
        error_messages={"invalid_choice": _("Choose one of this gathering's sites.")},
    )
    arrives_at = datetime_field(_("Arrives at"))

    def __init__(self, *args, sites, gathering=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sites = {site.pk: site for site in sites}
        self.fields["site"].choices = [(site.pk, site.venue.name) for site in sites]
        if gathering is not None:
            # The browser offers the gathering's days only; the service checks them anyway.
            self.fields["arrives_at"].widget.attrs.update(
                min=f"{gathering.starts_on:%Y-%m-%d}T00:00",
                max=f"{gathering.ends_on:%Y-%m-%d}T23:59",
            )

    def chosen_site(self):
        return self.sites[self.cleaned_data["site"]]


class OrganiserForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the new organiser"))

    def clean_email(self):
        person = User.objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if person is None:
            raise forms.ValidationError(_("Nobody has an account with this address."))
        return person


class PollForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dates = forms.CharField(
        label=_("Candidate dates, one a line"),
        help_text=_("Day and time, for example 2026-11-26 18:00."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    gathering = forms.ModelChoiceField(
        label=_("For a gathering"), queryset=Gathering.objects.all(), required=False
    )

    def clean_dates(self):
        parse = forms.DateTimeField(input_formats=DATETIME_FORMATS)
        moments = []
        for number, line in enumerate(self.cleaned_data["dates"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                moment = parse.clean(line.strip())
            except forms.ValidationError:
                moment = None
            if moment is None or not 2000 <= moment.year <= 2999:
                raise forms.ValidationError(
                    _("Line %(number)s: give the day and time as 2026-11-26 18:00.")
                    % {"number": number}
                )
            moments.append(moment)
        if not moments:
            raise forms.ValidationError(_("Give at least one candidate date."))
        if len(moments) > 60:
            raise forms.ValidationError(_("Give at most 60 candidate dates."))
        return moments


class AnswerForm(forms.Form):
    """A name, and yes / if need be / no for each candidate date."""

    name = forms.CharField(label=_("Your name"), max_length=80)

    def __init__(self, *args, dates, **kwargs):
        super().__init__(*args, **kwargs)
        self.dates = list(dates)
        for date in self.dates:
            self.fields[f"date_{date.pk}"] = forms.ChoiceField(
                label=str(date),
                choices=PollChoice.Value.choices,
                widget=forms.RadioSelect,
            )

    def choices(self) -> dict:
        return {date.pk: self.cleaned_data[f"date_{date.pk}"] for date in self.dates}


class ProgrammeFilterForm(forms.Form):
    track = forms.ChoiceField(label=_("Track"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False)

    def __init__(self, *args, tracks, formats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = [("", _("All tracks"))] + [
            (str(t.pk), t.name) for t in tracks
        ]
        self.fields["format"].choices = [("", _("All formats"))] + [
            (f.key, f.label) for f in formats
        ]
