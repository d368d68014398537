"""Neighbouring assemblies we follow, and the copies of what they publish.

Their commons and meetings live in tables of their own, each row marked with its source and the
source's id: they never enter our directory's moderation, our agenda's meetings or our membership.
"""

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NeighbourQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(shown=True)

    def due(self, now=None):
        """Neighbours whose next refresh time has come (never refreshed, or backoff over)."""
        now = now or timezone.now()
        return self.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))

    def with_summary(self, now=None):
        """Each neighbour with its number of commons and its next meeting, in the same query."""
        now = now or timezone.now()
        next_meeting = NeighbourMeeting.objects.filter(
            neighbour=OuterRef("pk"), ends_at__gte=now, cancelled=False
        ).order_by("starts_at")
        commons_count = (
            NeighbourCommons.objects.filter(neighbour=OuterRef("pk"))
            .order_by()
            .values("neighbour")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return self.annotate(
            commons_count=Subquery(commons_count, output_field=models.IntegerField()),
            next_meeting_title=Subquery(next_meeting.values("title")[:1]),
            next_meeting_starts_at=Subquery(next_meeting.values("starts_at")[:1]),
            next_meeting_url=Subquery(next_meeting.values("url")[:1]),
        )


class Neighbour(models.Model):
    """Another Assemblée we follow, known by its base URL and its discovery document."""

    base_url = models.URLField(_("address"), max_length=300, unique=True)
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    software = models.CharField(_("software"), max_length=120, blank=True)
    commons_feed_url = models.URLField(_("commons feed"), max_length=500, blank=True)
    calendar_feed_url = models.URLField(_("calendar feed"), max_length=500, blank=True)
    shown = models.BooleanField(
        _("shown"),
        default=True,
        help_text=_("Show this assembly's commons and meetings on the network map and agenda."),
    )
    # The ETag / Last-Modified each feed last answered, keyed by feed name: conditional requests.
    validators = models.JSONField(default=dict, blank=True, editable=False)
    followed_at = models.DateTimeField(_("followed since"), default=timezone.now)
    last_success_at = models.DateTimeField(_("last refreshed"), null=True, blank=True)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("failed attempts in a row"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    rejected_items = models.PositiveIntegerField(_("items rejected at the last refresh"), default=0)

    objects = NeighbourQuerySet.as_manager()

    class Meta:
        verbose_name = _("neighbouring assembly")
        verbose_name_plural = _("neighbouring assemblies")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name or self.base_url

    @property
    def is_failing(self) -> bool:
        return self.failing_since is not None


class NeighbourCommons(models.Model):
    """A commons a neighbour publishes, as its GeoJSON export last gave it."""

    neighbour = models.ForeignKey(
        Neighbour, on_delete=models.CASCADE, related_name="commons", verbose_name=_("source")
    )
    source_id = models.CharField(_("id at the source"), max_length=200)
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("page"), max_length=500)
    category = models.CharField(_("category"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=40, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("neighbour's commons")
        verbose_name_plural = _("neighbours' commons")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbour", "source_id"], name="neighbour_commons_unique_source_id"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="neighbour_commons_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="neighbour_commons_longitude_range",
            ),
        ]

    def __str__(self):
        return self.name


class NeighbourMeeting(models.Model):
    """A meeting from a neighbour's public calendar, known by its iCalendar UID."""

    neighbour = models.ForeignKey(
        Neighbour, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("source")
    )
    source_id = models.CharField(_("id at the source"), max_length=255)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("place"), max_length=300, blank=True)
    url = models.URLField(_("page"), max_length=500, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        verbose_name = _("neighbour's meeting")
        verbose_name_plural = _("neighbours' meetings")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbour", "source_id"], name="neighbour_meeting_unique_source_id"
            ),
        ]

    def __str__(self):
        return self.title
