"""The commons of the town: what is shared, who shares it and how they govern it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    colour = models.CharField(
        _("colour"), max_length=7, default="#1d6b4f", help_text=_("Marker colour, e.g. #1d6b4f.")
    )
    icon = models.CharField(_("icon"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class CommonsQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Commons.State.PUBLISHED)


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
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"), null=True, blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(2100)],
    )
    state = models.CharField(
        _("moderation state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    moderation_reason = models.TextField(_("moderation reason"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="submitted_commons", verbose_name=_("submitted by"),
    )
    stewards = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="stewarded_commons",
        verbose_name=_("stewards"),
    )
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True,
                                   unique=True)
    last_confirmed_at = models.DateTimeField(_("last confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CommonsQuerySet.as_manager()

    class Meta:
        verbose_name = _("commons")
        verbose_name_plural = _("commons")
        ordering = ["name"]
        constraints = [
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

    def get_absolute_url(self):
        return reverse("commons:detail", kwargs={"slug": self.slug})

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def make_unique_slug(self) -> str:
        base = slugify(self.name)[:200] or "commun"
        slug, n = base, 2
        while Commons.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.make_unique_slug()
        super().save(*args, **kwargs)


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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
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
    conflict_resolution = models.CharField(max_length=8, choices=Level.choices,
                                           default=Level.ABSENT)
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
