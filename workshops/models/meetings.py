"""Meetings: monthly assemblies, coworking days and any other gathering of the assembly."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assembly.online_links import online_link_model_field

from .venues import Venue


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

    def registered_by(self, person):
        """Meetings the person said they come to: they host it (the one way to declare coming
        to a meeting itself), or signed up to or run one of its visible workshops."""
        ids = (
            Q(hosts=person)
            | Q(workshops__signups__person=person, workshops__hidden=False)
            | Q(workshops__proposed_by=person, workshops__hidden=False)
            | Q(workshops__facilitators=person, workshops__hidden=False)
        )
        return self.filter(pk__in=self.model.objects.filter(ids).values("pk"))

    def attended_by(self, person):
        """Meetings where a facilitator ticked the person present, at the plenary or a workshop."""
        # Attendance's module imports this one: reach its model through the relation instead.
        attendance = self.model._meta.get_field("attendances").related_model
        return self.filter(
            models.Exists(
                attendance.objects.filter(meeting_id=models.OuterRef("pk"), person=person)
            )
        )

    def took_part(self, person):
        """Meetings the person took part in: ticked present, hosting, or running one of its
        visible workshops (proposed it or facilitates it). These people write the notes."""
        ids = (
            Q(attendances__person=person)
            | Q(hosts=person)
            | Q(workshops__proposed_by=person, workshops__hidden=False)
            | Q(workshops__facilitators=person, workshops__hidden=False)
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
    online_link = online_link_model_field(
        _(
            "For a hybrid meeting. Shown only to its hosts, the facilitators and the people who "
            "signed up to or run one of its workshops."
        )
    )
    # Set when the rhythm planned this meeting: the planner never creates two for one slot.
    planned_for = models.DateField(_("planned for"), null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Every save: Atom's <updated> and ActivityPub's `updated` of the meeting's Event.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # When its announcement was handed to the delivery log (which sends each e-mail once): marked
    # only after delivery, so a crash in between means "try again", never "lost".
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when an attendance import created this meeting from a past sheet (workshops/history.py):
    # held, without workshops or notes the sheet did not give.
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True, editable=False)
    # Attendance here counts towards membership (workshops/membership.py) unless whoever runs the
    # meeting says otherwise: a gathering's organisers keep it in step with their own setting.
    counts_for_membership = models.BooleanField(_("attendance counts for membership"), default=True)

    objects = MeetingQuerySet.as_manager()
    # Every revision of the plenary notes is kept (workshops/notes.py): only the notes are recorded.
    history = HistoricalRecords(
        excluded_fields=[
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "venue",
            "status",
            "cancellation_reason",
            "online_link",
            "planned_for",
            "created_at",
            "updated_at",
            "announced_at",
            "imported_at",
            "counts_for_membership",
        ]
    )

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

    def is_registered_by(self, person) -> bool:
        return Meeting.objects.filter(pk=self.pk).registered_by(person).exists()

    def was_taken_part_in_by(self, person) -> bool:
        return Meeting.objects.filter(pk=self.pk).took_part(person).exists()
