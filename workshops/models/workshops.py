"""Self-proposed workshops inside a meeting, and the sign-ups to them."""

import datetime
import operator

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assembly.online_links import online_link_model_field
from commons_registry.models import Commons

from .meetings import Meeting

# What a workshop's room may need: its flag and, in words, its msgid (Workshop.needs; a board's
# cards say each once per page).
NEEDS = {
    "needs_work_tables": gettext_noop("work tables"),
    "needs_whiteboard": gettext_noop("whiteboard"),
    "needs_projector": gettext_noop("projector"),
    "needs_good_internet": gettext_noop("good internet"),
}
# A workshop's flags, in NEEDS's order.
needs_of = operator.attrgetter(*NEEDS)

# After this long, missing notes are no longer asked for on a host's pages.
NOTES_EXPECTED_WITHIN = datetime.timedelta(days=60)


# The columns a board's card shows (workshops/templatetags/workshop_cards.py), its proposer by
# their name: a board reads these rows at every first view after a write, and each other column
# (the description, the proposer's whole account) costs its conversion into every instance. A
# card that showed another field would ask for it once per card: the board's query count tests
# would say so.
BOARD_CARD_FIELDS = (
    "title",
    "hidden",
    "is_initiation",
    "capacity",
    "needs_work_tables",
    "needs_whiteboard",
    "needs_projector",
    "needs_good_internet",
    "online_link",
    "notes",
    "proposed_by__display_name",
    "proposed_by__email",
)


class WorkshopQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False)

    def visible_to(self, user):
        """Hidden workshops vanish for the public and stay visible to facilitators."""
        if getattr(user, "is_facilitator", False):
            return self
        return self.visible()

    def on_board(self, meeting, person):
        """The workshops a person sees on a meeting's board, most sign-ups first, with what
        their cards show loaded alongside (`signed_up`: whether this person is in). Who runs
        each one comes from `involvement_of`, not from their facilitators."""
        return (
            self.filter(meeting=meeting)
            .visible_to(person)
            .by_signups()
            .with_signup_of(person)
            .select_related("proposed_by")
            .only(*BOARD_CARD_FIELDS)
        )

    def with_signup_of(self, person):
        """`signed_up` on each workshop: whether this person signed up to it, in the same query
        (an anonymous visitor has signed up to nothing; a placeholder of assembly/prepared.py
        stands for a signed-in person)."""
        if person is None or not getattr(person, "is_authenticated", True):
            return self.annotate(signed_up=Value(False))
        return self.annotate(
            signed_up=Exists(WorkshopSignup.objects.filter(workshop=OuterRef("pk"), person=person))
        )

    def run_by(self, person):
        """The workshops this person runs: proposed or facilitates (as involvement_from counts
        them)."""
        facilitating = Workshop.facilitators.through.objects.filter(
            workshop=OuterRef("pk"), user=person
        )
        return self.filter(Q(proposed_by=person) | Exists(facilitating))

    def involvement_rows(self, person, meeting):
        """What `involvement_of` reads: (pk, signed up, facilitating, proposer, hidden) of the
        workshops of this meeting that the person signed up to or runs."""
        facilitating = Workshop.facilitators.through.objects.filter(
            workshop=OuterRef("pk"), user=person
        )
        return (
            self.filter(meeting=meeting)
            .annotate(
                signed_up=Exists(
                    WorkshopSignup.objects.filter(workshop=OuterRef("pk"), person=person)
                ),
                facilitating=Exists(facilitating),
            )
            .filter(Q(signed_up=True) | Q(facilitating=True) | Q(proposed_by=person))
            .order_by()
            .values_list("pk", "signed_up", "facilitating", "proposed_by_id", "hidden")
        )

    def involvement_of(self, person, meeting) -> tuple[frozenset[int], frozenset[int]]:
        """The workshops of this meeting that the person signed up to, and those they run
        (proposed or facilitate): all that makes one person's board differ from another's with
        the same role, in one small query (the board keeps its cards per such difference)."""
        if person is None or not person.is_authenticated:
            return frozenset(), frozenset()
        return involvement_from(self.involvement_rows(person, meeting), person.pk)

    def notes_missing_for(self, person, now=None):
        """Workshops this person hosts or proposed, held in the last `NOTES_EXPECTED_WITHIN`, whose
        notes nobody has written yet, the most recent meeting first."""
        now = now or timezone.now()
        theirs = Workshop.objects.filter(Q(facilitators=person) | Q(proposed_by=person))
        return (
            self.visible()
            .filter(
                pk__in=theirs.values("pk"),
                notes="",
                meeting__ends_at__lt=now,
                meeting__ends_at__gte=now - NOTES_EXPECTED_WITHIN,
            )
            .exclude(meeting__status=Meeting.Status.CANCELLED)
            .order_by("-meeting__starts_at", "title", "pk")
        )

    def by_signups(self):
        """The board's order: most sign-ups first."""
        return self.annotate(signup_count=models.Count("signups", distinct=True)).order_by(
            "-signup_count", "-is_initiation", "title", "pk"
        )


def involvement_from(rows, person_pk) -> tuple[frozenset[int], frozenset[int]]:
    """The workshops signed up to and those run, from `involvement_rows`."""
    signed_up, runs = set(), set()
    for pk, is_signed_up, is_facilitating, proposer, _hidden in rows:
        if is_signed_up:
            signed_up.add(pk)
        if is_facilitating or proposer == person_pk:
            runs.add(pk)
    return frozenset(signed_up), frozenset(runs)


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
    online_link = online_link_model_field(
        _(
            "For a hybrid workshop. Shown only to the people signed up to it, those who run it "
            "and the facilitators."
        )
    )
    hidden = models.BooleanField(_("hidden"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkshopQuerySet.as_manager()
    # Every revision of the notes is kept (workshops/notes.py): only the notes are recorded.
    history = HistoricalRecords(
        excluded_fields=[
            "title",
            "description",
            "proposed_by",
            "needs_work_tables",
            "needs_whiteboard",
            "needs_projector",
            "needs_good_internet",
            "capacity",
            "is_initiation",
            "online_link",
            "hidden",
            "created_at",
            "updated_at",
        ]
    )

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
            gettext(label)
            for flag, label in zip(needs_of(self), NEEDS.values(), strict=True)
            if flag
        ]

    def is_run_by(self, person) -> bool:
        """Whether the person proposed or facilitates this workshop (prefetched facilitators are
        reused rather than asked for again)."""
        if person is None or not person.is_authenticated:
            return False
        if self.proposed_by_id == person.pk:
            return True
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "facilitators" in cache:
            return any(facilitator.pk == person.pk for facilitator in cache["facilitators"])
        return self.facilitators.filter(pk=person.pk).exists()

    def signup_of(self, person):
        """This person's sign-up to the workshop, or None."""
        return WorkshopSignup.objects.of(person).filter(workshop=self).first()


class WorkshopSignupQuerySet(models.QuerySet):
    def of(self, person):
        """A person's sign-ups (none for an anonymous visitor)."""
        if person is None or not person.is_authenticated:
            return self.none()
        return self.filter(person=person)


class WorkshopSignup(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_signups"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkshopSignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "person"], name="one_signup_per_person")
        ]

    def __str__(self):
        return f"{self.person_id} → {self.workshop_id}"
