"""Gatherings: multi-day, multi-site assemblies with tracks, walks (parcours), a call for sessions,
registrations with waitlists, a facilitators' pool; and date polls for the meetings that prepare
them. The rules that span rows live in services.py; what one row or the database can hold is here.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chantiers.models import Chantier
from workshops.models import Meeting, Venue


class GatheringQuerySet(models.QuerySet):
    def upcoming(self, today=None):
        return self.filter(ends_on__gte=today or timezone.localdate()).order_by("starts_on", "pk")

    def past(self, today=None):
        return self.filter(ends_on__lt=today or timezone.localdate()).order_by("-starts_on", "pk")

    def organised_by(self, person):
        return self.filter(organisers__person=person)


# What its organisers change of a gathering, in the order their form shows it (the short name in
# its address is chosen once, at creation). Only the minutes keep a history.
EDITABLE_FIELDS = (
    "title",
    "starts_on",
    "ends_on",
    "description",
    "registration_open",
    "capacity",
    "call_open",
    "counts_for_membership",
    "workshop_split_threshold",
    "plenary_split_threshold",
)


class Gathering(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in its address"), max_length=80, unique=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    description = models.TextField(_("description (Markdown)"), blank=True)
    registration_open = models.BooleanField(_("registration open"), default=False)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    workshop_split_threshold = models.PositiveIntegerField(_("split a workshop past"), default=50)
    plenary_split_threshold = models.PositiveIntegerField(_("split a plenary past"), default=100)
    call_open = models.BooleanField(_("call for sessions open"), default=True)
    # Once published, a change to a session is announced to the people registered to it.
    published_at = models.DateTimeField(_("programme published at"), null=True, blank=True)
    # Check-in at the welcome desk is the door of this meeting, so that attendance at the
    # gathering counts once for membership (workshops/membership.py counts attended meetings).
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gathering",
        verbose_name=_("meeting for attendance"),
    )
    # The organisers' say (issue 27, item 9): does a check-in at the welcome desk count as one
    # session for membership? Its meeting carries the same switch, which membership reads.
    counts_for_membership = models.BooleanField(
        _("attendance counts for membership"),
        default=True,
        help_text=_(
            "A check-in at the welcome desk counts as one session towards membership, however "
            "many sessions the person attends."
        ),
    )
    minutes = models.TextField(_("minutes (Markdown)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_gatherings",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = GatheringQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            *EDITABLE_FIELDS,
            "slug",
            "published_at",
            "meeting",
            "created_by",
            "created_at",
        ]
    )

    class Meta:
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="gathering_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("gatherings:detail", kwargs={"slug": self.slug})

    @property
    def days(self) -> list:
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + datetime.timedelta(days=n) for n in range(count)]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Organiser(models.Model):
    """A person with the "gathering organiser" role, for this gathering only."""

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="organisers", verbose_name=_("gathering")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="gathering_organisers",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("gathering organiser")
        verbose_name_plural = _("gathering organisers")
        constraints = [
            models.UniqueConstraint(fields=["gathering", "person"], name="one_organiser_role"),
        ]

    def __str__(self):
        return f"{self.person} — {self.gathering}"


class Site(models.Model):
    """A venue the gathering uses; it has rooms or spaces, and alone counts as one."""

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="sites", verbose_name=_("gathering")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="gathering_sites", verbose_name=_("venue")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["gathering", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["gathering", "venue"], name="one_site_per_venue"),
        ]

    def __str__(self):
        return self.venue.name

    @property
    def map_url(self) -> str:
        venue = self.venue
        if venue.latitude is None or venue.longitude is None:
            return ""
        return (
            f"https://www.openstreetmap.org/?mlat={venue.latitude}&mlon={venue.longitude}"
            f"#map=17/{venue.latitude}/{venue.longitude}"
        )


class Room(models.Model):
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("room or space")
        verbose_name_plural = _("rooms and spaces")
        ordering = ["site", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="one_room_per_name"),
        ]

    def __str__(self):
        return f"{self.site} — {self.name}"


class Track(models.Model):
    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("gathering")
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["gathering", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["gathering", "name"], name="one_track_per_name"),
        ]

    def __str__(self):
        return self.name


class Format(models.Model):
    """What kind of session: the built-in ones (gathering empty) and those organisers add."""

    class SplitRule(models.TextChoices):
        PLENARY = "plenary", _("split past the plenary threshold")
        WORKSHOP = "workshop", _("split past the workshop threshold")
        NONE = "none", _("never split")

    BUILT_IN = {
        "plenary": _("plenary"),
        "workshop": _("workshop"),
        "walk": _("walk"),
        "fishbowl": _("fishbowl"),
        "world-cafe": _("world café"),
        "meal": _("meal"),
        "welcome-desk": _("welcome desk"),
    }

    gathering = models.ForeignKey(
        Gathering,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="formats",
        verbose_name=_("gathering"),
    )
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    split_rule = models.CharField(
        _("split rule"), max_length=10, choices=SplitRule.choices, default=SplitRule.WORKSHOP
    )

    class Meta:
        verbose_name = _("format")
        verbose_name_plural = _("formats")
        ordering = ["gathering", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(gathering=None), name="one_built_in_format_per_key"
            ),
            models.UniqueConstraint(fields=["gathering", "key"], name="one_format_per_key"),
        ]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        return self.BUILT_IN.get(self.key, self.name) if self.gathering_id is None else self.name


def formats_of(gathering: Gathering):
    """The built-in formats and the gathering's own."""
    return Format.objects.filter(Q(gathering=None) | Q(gathering=gathering))


class Parcours(models.Model):
    """A walk: an ordered list of stops, each at a site at a time. Its stops are outdoors."""

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="parcours", verbose_name=_("gathering")
    )
    title = models.CharField(_("title"), max_length=200)
    track = models.ForeignKey(
        Track,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parcours",
        verbose_name=_("track"),
    )

    class Meta:
        verbose_name = _("walk")
        verbose_name_plural = _("walks")
        ordering = ["gathering", "title", "pk"]

    def __str__(self):
        return self.title


class Stop(models.Model):
    parcours = models.ForeignKey(
        Parcours, on_delete=models.CASCADE, related_name="stops", verbose_name=_("walk")
    )
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="stops", verbose_name=_("site")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    arrives_at = models.DateTimeField(_("arrives at"))

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["parcours", "position"]
        constraints = [
            models.UniqueConstraint(fields=["parcours", "position"], name="one_stop_per_place"),
        ]

    def __str__(self):
        return f"{self.parcours} · {self.position}. {self.site}"


class SessionQuerySet(models.QuerySet):
    def on_grid(self):
        """Accepted and placed: what the programme shows."""
        return self.filter(state=Session.State.ACCEPTED, starts_at__isnull=False)

    def in_call(self):
        """Proposals of the call for sessions, visible to all while they are open."""
        return self.exclude(proposed_by=None)

    def overlapping(self, starts_at, ends_at):
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Session(models.Model):
    """A session of the gathering, proposed through the call or added by organisers."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CHANGES_REQUESTED = "changes", _("changes asked")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("gathering")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description (Markdown)"), blank=True)
    format = models.ForeignKey(
        Format, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("format")
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("track"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("site"),
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("room or space"),
    )
    stop = models.ForeignKey(
        Stop,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("stop of a walk"),
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_gathering_sessions",
        verbose_name=_("facilitators"),
    )
    chantier = models.ForeignKey(
        Chantier,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gathering_sessions",
        verbose_name=_("chantier it starts or continues"),
    )
    online_link = models.URLField(
        _("online link (visio)"),
        blank=True,
        help_text=_("Shown to registered people only."),
    )
    # The call for sessions.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_gathering_sessions",
        verbose_name=_("proposed by"),
    )
    needs = models.TextField(_("what it needs"), blank=True)
    preferred_slot = models.CharField(_("preferred slot"), max_length=200, blank=True)
    organisers_message = models.TextField(_("message from the organisers"), blank=True)
    notes = models.TextField(_("notes (Markdown)"), blank=True)
    # Set when the organisers were told its registrations passed the split threshold.
    split_noticed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    objects = SessionQuerySet.as_manager()
    # Every revision of the notes is kept, as for workshops: only the notes are recorded.
    history = HistoricalRecords(
        excluded_fields=[
            "gathering",
            "title",
            "description",
            "format",
            "track",
            "state",
            "starts_at",
            "ends_at",
            "site",
            "room",
            "stop",
            "capacity",
            "chantier",
            "online_link",
            "proposed_by",
            "needs",
            "preferred_slot",
            "organisers_message",
            "split_noticed_at",
            "created_at",
            "updated_at",
        ]
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at=None, ends_at=None)
                | Q(starts_at__isnull=False, ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(starts_at=None) | Q(state="accepted"),
                name="session_placed_when_accepted",
            ),
        ]
        indexes = [models.Index(fields=["gathering", "starts_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("gatherings:session", kwargs={"slug": self.gathering.slug, "pk": self.pk})

    @property
    def is_placed(self) -> bool:
        return self.starts_at is not None

    @property
    def place(self):
        """Where it happens, in words: a stop of a walk, a room, or a site."""
        if self.stop_id:
            return self.stop.site
        if self.room_id:
            return self.room
        return self.site

    @property
    def where_site(self):
        if self.stop_id:
            return self.stop.site
        if self.room_id:
            return self.room.site
        return self.site


class Registration(models.Model):
    """A person registered for the gathering as a whole."""

    gathering = models.ForeignKey(
        Gathering,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("gathering"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="gathering_registrations",
        verbose_name=_("person"),
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["gathering", "person"], name="one_registration"),
        ]

    def __str__(self):
        return f"{self.person} — {self.gathering}"


class SessionRegistrationQuerySet(models.QuerySet):
    def registered(self):
        return self.filter(state=SessionRegistration.State.REGISTERED)

    def waitlisted(self):
        return self.filter(state=SessionRegistration.State.WAITLISTED).order_by("joined_at", "pk")


class SessionRegistration(models.Model):
    """A place in a session, or a place on its waitlist, in the order people joined."""

    class State(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITLISTED = "waitlisted", _("on the waitlist")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("session")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="gathering_session_registrations",
        verbose_name=_("person"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    promoted_at = models.DateTimeField(_("promoted at"), null=True, blank=True)

    objects = SessionRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("session registration")
        verbose_name_plural = _("session registrations")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_session_registration"),
        ]

    def __str__(self):
        return f"{self.person} — {self.session} ({self.state})"


class Volunteer(models.Model):
    """Someone in the gathering's facilitators' pool."""

    gathering = models.ForeignKey(
        Gathering, on_delete=models.CASCADE, related_name="volunteers", verbose_name=_("gathering")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="gathering_volunteering",
        verbose_name=_("person"),
    )
    formats = models.ManyToManyField(
        Format, blank=True, related_name="+", verbose_name=_("formats")
    )
    availability = models.TextField(_("availability"), blank=True)
    volunteered_at = models.DateTimeField(_("volunteered at"), default=timezone.now)

    class Meta:
        verbose_name = _("volunteer facilitator")
        verbose_name_plural = _("volunteer facilitators")
        ordering = ["volunteered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["gathering", "person"], name="one_volunteering"),
        ]

    def __str__(self):
        return f"{self.person} — {self.gathering}"


class Poll(models.Model):
    """A date poll. Its id is random: the link is what is shared, and must not be guessed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_polls",
        verbose_name=_("created by"),
    )
    gathering = models.ForeignKey(
        Gathering,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="polls",
        verbose_name=_("gathering"),
    )
    chantier = models.ForeignKey(
        Chantier,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="polls",
        verbose_name=_("chantier"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="poll",
        verbose_name=_("meeting it became"),
    )

    class Meta:
        verbose_name = _("date poll")
        verbose_name_plural = _("date polls")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("polls:detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class PollDate(models.Model):
    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="dates", verbose_name=_("poll")
    )
    starts_at = models.DateTimeField(_("starts at"))

    class Meta:
        verbose_name = _("candidate date")
        verbose_name_plural = _("candidate dates")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "starts_at"], name="one_candidate_per_time"),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class PollAnswer(models.Model):
    """One person's answers, under a name, with or without an account."""

    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="answers", verbose_name=_("poll")
    )
    name = models.CharField(_("name"), max_length=80)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="poll_answers",
        verbose_name=_("person"),
    )
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        ordering = ["answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "person"],
                condition=Q(person__isnull=False),
                name="one_answer_per_person",
            ),
        ]

    def __str__(self):
        return self.name


class PollChoice(models.Model):
    class Value(models.TextChoices):
        YES = "yes", _("yes")
        MAYBE = "maybe", _("if need be")
        NO = "no", _("no")

    answer = models.ForeignKey(
        PollAnswer, on_delete=models.CASCADE, related_name="choices", verbose_name=_("answer")
    )
    date = models.ForeignKey(
        PollDate, on_delete=models.CASCADE, related_name="choices", verbose_name=_("date")
    )
    value = models.CharField(_("answer"), max_length=5, choices=Value.choices)

    class Meta:
        verbose_name = _("poll choice")
        verbose_name_plural = _("poll choices")
        constraints = [
            models.UniqueConstraint(fields=["answer", "date"], name="one_choice_per_date"),
        ]

    def __str__(self):
        return f"{self.answer} · {self.date}: {self.value}"
