"""Meetings and what happens in them: venues, the rhythm, workshops, sign-ups, attendance, and the
log of e-mails delivered about them (reused by the apps to the right of this one)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.domain import latitude_field, longitude_field
from commons_registry.models import Commons


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    accessibility = models.TextField(_("accessibility notes"), blank=True)
    has_work_tables = models.BooleanField(_("work tables"), default=False)
    has_whiteboard = models.BooleanField(_("whiteboard"), default=False)
    has_projector = models.BooleanField(_("projector"), default=False)
    has_good_internet = models.BooleanField(_("good internet"), default=False)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def offers(self) -> list[str]:
        """What the room offers, in words."""
        return [
            str(label)
            for flag, label in (
                (self.has_work_tables, _("work tables")),
                (self.has_whiteboard, _("whiteboard")),
                (self.has_projector, _("projector")),
                (self.has_good_internet, _("good internet")),
            )
            if flag
        ]


class Rhythm(models.Model):
    """The assembly's recurring rule, one row edited in the admin."""

    class Week(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    weekday = models.SmallIntegerField(
        _("weekday"), choices=Weekday.choices, default=Weekday.THURSDAY
    )
    week_of_month = models.SmallIntegerField(
        _("week of the month"), choices=Week.choices, default=Week.LAST
    )
    start_times = models.CharField(
        _("start times"),
        max_length=100,
        default="12:00,18:00",
        help_text=_("Comma-separated; successive meetings alternate between them."),
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=180)
    default_venue = models.ForeignKey(
        Venue, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("default venue")
    )
    months_ahead = models.PositiveSmallIntegerField(_("months to plan ahead"), default=3)
    meeting_title = models.CharField(
        _("meeting title"), max_length=200, default="Assemblée des communs"
    )
    initiation_title = models.CharField(
        _("initiation workshop title"), max_length=200, default="Initiation aux communs"
    )
    initiation_description = models.TextField(
        _("initiation workshop description"),
        default="Qu'est-ce qu'un commun ? Un atelier pour les nouveaux venus, à chaque assemblée.",
    )
    reminder_offsets_days = models.CharField(
        _("reminder offsets (days before)"),
        max_length=50,
        default="7,1",
        help_text=_("Comma-separated numbers of days before each meeting."),
    )

    class Meta:
        verbose_name = _("rhythm")
        verbose_name_plural = _("rhythm")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="rhythm_single_row")]

    def __str__(self):
        return str(_("Meeting rhythm"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def get(cls) -> "Rhythm":
        rhythm, _created = cls.objects.get_or_create(pk=1)
        return rhythm

    def parsed_start_times(self) -> list[datetime.time]:
        times = []
        for part in self.start_times.split(","):
            hours, _sep, minutes = part.strip().partition(":")
            times.append(datetime.time(int(hours), int(minutes or 0)))
        return times

    def parsed_reminder_offsets(self) -> list[int]:
        return sorted(
            {int(part) for part in self.reminder_offsets_days.split(",") if part.strip()},
            reverse=True,
        )

    def clean(self):
        try:
            if not self.parsed_start_times():
                raise ValueError
        except ValueError:
            raise ValidationError({"start_times": _("Write times as 12:00,18:00.")}) from None
        try:
            self.parsed_reminder_offsets()
        except ValueError:
            raise ValidationError(
                {"reminder_offsets_days": _("Write whole numbers of days, as 7,1.")}
            ) from None


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")

    def with_workshop_count(self):
        return self.annotate(
            workshop_count=models.Count(
                "workshops", filter=Q(workshops__hidden=False), distinct=True
            )
        )

    def taken_part_in_by(self, person):
        """Meetings a person hosts, signed up to a workshop of, or attended."""
        ids = (
            Q(hosts=person)
            | Q(workshops__signups__person=person, workshops__hidden=False)
            | Q(attendances__person=person)
        )
        return self.filter(pk__in=self.model.objects.filter(ids).values("pk"))


class Meeting(models.Model):
    class Kind(models.TextChoices):
        ASSEMBLY = "assembly", _("assembly")
        COWORKING = "coworking", _("coworking day")
        OTHER = "other", _("other meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CANCELLED = "cancelled", _("cancelled")
        HELD = "held", _("held")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ASSEMBLY)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("venue"),
    )
    hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("hosts"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    plenary_notes = models.TextField(_("plenary notes"), blank=True)
    # Set when the rhythm planned this meeting: the planner never creates two for one slot.
    planned_for = models.DateField(_("planned for"), null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="meeting_cancel_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def is_upcoming(self, now=None) -> bool:
        return self.ends_at >= (now or timezone.now())

    def has_started(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())


class WorkshopQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False)

    def visible_to(self, user):
        """Hidden workshops vanish for the public and stay visible to facilitators."""
        if getattr(user, "is_facilitator", False):
            return self
        return self.visible()

    def by_signups(self):
        """The board's order: most sign-ups first."""
        return self.annotate(signup_count=models.Count("signups", distinct=True)).order_by(
            "-signup_count", "-is_initiation", "title", "pk"
        )


class Workshop(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="workshops", verbose_name=_("meeting")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_workshops",
        verbose_name=_("proposed by"),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_workshops",
        verbose_name=_("facilitators"),
    )
    needs_work_tables = models.BooleanField(_("needs work tables"), default=False)
    needs_whiteboard = models.BooleanField(_("needs a whiteboard"), default=False)
    needs_projector = models.BooleanField(_("needs a projector"), default=False)
    needs_good_internet = models.BooleanField(_("needs good internet"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    is_initiation = models.BooleanField(_("initiation to the commons"), default=False)
    related_commons = models.ManyToManyField(
        Commons, blank=True, related_name="workshops", verbose_name=_("related commons")
    )
    notes = models.TextField(_("notes"), blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["meeting", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(is_initiation=True),
                name="one_initiation_per_meeting",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workshops:detail", kwargs={"pk": self.pk})

    @property
    def needs(self) -> list[str]:
        """What the room needs, in words."""
        return [
            str(label)
            for flag, label in (
                (self.needs_work_tables, _("work tables")),
                (self.needs_whiteboard, _("whiteboard")),
                (self.needs_projector, _("projector")),
                (self.needs_good_internet, _("good internet")),
            )
            if flag
        ]


class WorkshopSignup(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_signups"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "person"], name="one_signup_per_person")
        ]

    def __str__(self):
        return f"{self.person_id} → {self.workshop_id}"


class Attendance(models.Model):
    """A person was there: at the meeting itself (workshop empty) or at one of its workshops."""

    # Nullable so that a deleted account's attendance stays, anonymised, for statistics.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="attendances"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, null=True, blank=True, related_name="attendances"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "meeting"],
                condition=Q(workshop=None),
                name="one_plenary_attendance",
            ),
            models.UniqueConstraint(
                fields=["person", "meeting", "workshop"],
                condition=Q(workshop__isnull=False),
                name="one_workshop_attendance",
            ),
        ]
        indexes = [models.Index(fields=["person", "meeting"])]

    def __str__(self):
        return f"{self.person_id} @ {self.meeting_id}/{self.workshop_id or '-'}"


class DeliveryQuerySet(models.QuerySet):
    def needing_attention(self):
        return self.filter(state__in=[Delivery.State.UNCERTAIN, Delivery.State.FAILED])


class Delivery(models.Model):
    """One e-mail about one thing to one person, claimed before sending and marked after.

    `topic` names what it is about ("meeting:12", "decision:4", "membership:2027-03-14"), so that
    every app reuses this log through workshops.deliveries without a foreign key to its models.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        UNCERTAIN = "uncertain", _("uncertain")
        FAILED = "failed", _("failed")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    topic = models.CharField(_("about"), max_length=80)
    kind = models.CharField(_("kind"), max_length=60)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "person", "kind"], name="one_delivery_per_topic_person_kind"
            )
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self):
        return f"{self.kind} {self.topic} → {self.person_id} ({self.state})"
