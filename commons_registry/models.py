"""The commons of the town: what is shared, who shares it and how they govern it."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from assembly.domain import latitude_field, longitude_field


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#1d6b4f",
        help_text=_("Marker colour, e.g. #1d6b4f."),
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour like #1d6b4f."))],
    )
    icon = models.CharField(_("icon"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


# An entry is asked to be confirmed once a year; a request left unanswered this long shows.
CONFIRMATION_INTERVAL = timedelta(days=365)
CONFIRMATION_GRACE = timedelta(days=30)
# Paths under /commons/ that an entry's slug must never shadow.
RESERVED_SLUGS = {"map", "propose", "moderation", "export"}


class CommonsQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Commons.State.PUBLISHED)

    def proposed(self):
        return self.filter(state=Commons.State.PROPOSED)

    def visible_to(self, person):
        """What `permissions.can_view` allows, as a query: published entries, and a person's own
        proposals; facilitators see every entry."""
        if not getattr(person, "is_authenticated", False):
            return self.published()
        if person.is_facilitator:
            return self
        return self.filter(Q(state=Commons.State.PUBLISHED) | Q(submitted_by=person))

    def with_location(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)

    def without_location(self):
        return self.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))

    def search(self, text: str):
        """Entries whose name, summary, resource, community or governance mention every word."""
        queryset = self
        for word in text.split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(summary__icontains=word)
                | Q(resource__icontains=word)
                | Q(community__icontains=word)
                | Q(governance__icontains=word)
            )
        return queryset

    def due_for_confirmation(self, now):
        """Published entries not confirmed for a year whose stewards were not asked this year."""
        limit = now - CONFIRMATION_INTERVAL
        return self.published().filter(
            Q(last_confirmed_at__lt=limit)
            | Q(last_confirmed_at__isnull=True, created_at__lt=limit),
            Q(confirmation_requested_at__isnull=True) | Q(confirmation_requested_at__lt=limit),
        )

    def newest(self):
        return self.order_by("-created_at", "-pk")


class Commons(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        DORMANT = "dormant", _("dormant")
        ENDED = "ended", _("ended")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=280)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="commons", verbose_name=_("category")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    description = models.TextField(_("description"), blank=True)
    resource = models.TextField(_("resource"), blank=True, help_text=_("What is shared."))
    community = models.TextField(
        _("community"), blank=True, help_text=_("Who contributes to it and uses it.")
    )
    governance = models.TextField(
        _("governance"), blank=True, help_text=_("Its rules and how they are made.")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(2100)],
    )
    state = models.CharField(
        _("moderation state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    moderation_reason = models.TextField(_("moderation reason"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_commons",
        verbose_name=_("submitted by"),
    )
    stewards = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="stewarded_commons",
        verbose_name=_("stewards"),
    )
    external_id = models.CharField(
        _("external id"), max_length=100, null=True, blank=True, unique=True
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    last_confirmed_at = models.DateTimeField(_("last confirmed at"), null=True, blank=True)
    # Set when the stewards were asked to confirm the entry; cleared when they confirm it.
    confirmation_requested_at = models.DateTimeField(
        _("confirmation requested at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CommonsQuerySet.as_manager()

    class Meta:
        verbose_name = _("commons")
        verbose_name_plural = pgettext_lazy("plural", "commons")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["state", "category"]),
            models.Index(fields=["state", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="rejected") | ~models.Q(moderation_reason=""),
                name="commons_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="commons_both_coordinates_or_none",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="commons_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="commons_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.make_unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("commons:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            message = _("Give both latitude and longitude, or neither (for a digital commons).")
            raise ValidationError({"latitude": message, "longitude": message})

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def awaiting_confirmation(self, now=None) -> bool:
        """True when the stewards were asked to confirm the entry over 30 days ago and have not."""
        if self.confirmation_requested_at is None:
            return False
        return (now or timezone.now()) - self.confirmation_requested_at >= CONFIRMATION_GRACE

    @property
    def to_be_confirmed(self) -> bool:
        return self.awaiting_confirmation()

    @property
    def osm_url(self) -> str:
        if not self.has_location:
            return ""
        return (
            f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
            f"#map=17/{self.latitude}/{self.longitude}"
        )

    def make_unique_slug(self) -> str:
        base = slugify(self.name)[:200] or "commun"
        if base in RESERVED_SLUGS:
            base = f"{base}-commun"
        slug, n = base, 2
        while Commons.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


class OstromAssessment(models.Model):
    """A steward's self-assessment of the commons against Ostrom's eight design principles."""

    class Level(models.TextChoices):
        ABSENT = "absent", _("absent")
        PARTIAL = "partial", _("partial")
        PRESENT = "present", _("present")
        NOT_APPLICABLE = "n/a", _("not applicable")

    PRINCIPLES = [
        ("boundaries", _("Clearly defined boundaries")),
        ("congruence", _("Rules fit local needs and conditions")),
        ("collective_choice", _("Those affected take part in making the rules")),
        ("monitoring", _("Monitoring by accountable members")),
        ("sanctions", _("Graduated sanctions")),
        ("conflict_resolution", _("Cheap, accessible conflict resolution")),
        ("recognition", _("Right to organise recognised by outside authorities")),
        ("nested", _("Nested enterprises for larger systems")),
    ]

    commons = models.ForeignKey(
        Commons, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("commons")
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("assessed by"),
    )
    boundaries = models.CharField(max_length=8, choices=Level.choices, default=Level.ABSENT)
    boundaries_comment = models.TextField(blank=True)
    congruence = models.CharField(max_length=8, choices=Level.choices, default=Level.ABSENT)
    congruence_comment = models.TextField(blank=True)
    collective_choice = models.CharField(max_length=8, choices=Level.choices, default=Level.ABSENT)
    collective_choice_comment = models.TextField(blank=True)
    monitoring = models.CharField(max_length=8, choices=Level.choices, default=Level.ABSENT)
    monitoring_comment = models.TextField(blank=True)
    sanctions = models.CharField(max_length=8, choices=Level.choices, default=Level.ABSENT)
    sanctions_comment = models.TextField(blank=True)
    conflict_resolution = models.CharField(
        max_length=8, choices=Level.choices, default=Level.ABSENT
    )
    conflict_resolution_comment = models.TextField(blank=True)
    recognition = models.CharField(max_length=8, choices=Level.choices, default=Level.ABSENT)
    recognition_comment = models.TextField(blank=True)
    nested = models.CharField(max_length=8, choices=Level.choices, default=Level.ABSENT)
    nested_comment = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Ostrom self-assessment")
        verbose_name_plural = _("Ostrom self-assessments")
        ordering = ["-assessed_on", "-pk"]
        get_latest_by = "assessed_on"

    def __str__(self):
        return f"{self.commons} ({self.assessed_on})"

    # How far each level goes along the chart: not applicable draws no bar.
    SCORES = {Level.ABSENT: 0, Level.PARTIAL: 1, Level.PRESENT: 2, Level.NOT_APPLICABLE: None}

    def principles(self) -> list[dict]:
        """The eight principles in order, each with its level, score and comment."""
        rows = []
        for number, (field, label) in enumerate(self.PRINCIPLES, start=1):
            level = getattr(self, field)
            rows.append({
                "number": number,
                "field": field,
                "label": label,
                "level": level,
                "level_label": self.Level(level).label,
                "score": self.SCORES[self.Level(level)],
                "comment": getattr(self, f"{field}_comment"),
            })  # fmt: skip
        return rows
