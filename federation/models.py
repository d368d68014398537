"""Neighbouring assemblies we follow, and the copies of what they publish.

Their commons and meetings live in tables of their own, each row marked with its source and the
source's id: they never enter our directory's moderation, our agenda's meetings or our membership.
"""

from django.core.validators import RegexValidator
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


# ActivityPub, publish-only (docs/federation.md, "Following the assembly from the fediverse").


class Publication(models.Model):
    """The one row that says whether the assembly publishes to the fediverse, and as whom.

    Off until an administrator turns it on (seed_demo does, for `make run`). The key pair is made
    once, the first time the actor is shown, and kept: followers know us by it.
    """

    enabled = models.BooleanField(
        _("publish to the fediverse"),
        default=False,
        help_text=_(
            "People on Mastodon, Mobilizon or Gancio may follow the assembly; its public meetings "
            "to come are sent to them."
        ),
    )
    handle = models.CharField(
        _("handle"),
        max_length=30,
        default="assemblee",
        validators=[
            RegexValidator(
                r"^[a-z0-9_]+\Z",
                _("Lower-case letters, digits and underscores only."),
            )
        ],
        help_text=_("Followed as @handle@this-site's-address."),
    )
    private_key_pem = models.TextField(blank=True, editable=False)
    public_key_pem = models.TextField(blank=True, editable=False)
    key_created_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("fediverse publication")
        verbose_name_plural = _("fediverse publication")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="publication_single_row")]

    def __str__(self):
        return f"@{self.handle}"

    @classmethod
    def get(cls) -> "Publication":
        publication, _created = cls.objects.get_or_create(pk=1)
        return publication


class Follower(models.Model):
    """A fediverse account that follows the assembly: its actor and where to deliver to it.

    An actor's address and inbox are personal data of a kind (an account's address names a
    person): `/me/export.json` does not know them (no account links them to a person), but an
    `Undo` or the actor's `Delete` removes them, and so does an administrator.
    """

    actor_url = models.URLField(_("actor"), max_length=500, unique=True)
    inbox_url = models.URLField(_("inbox"), max_length=500)
    shared_inbox_url = models.URLField(_("shared inbox"), max_length=500, blank=True)
    follow_activity_id = models.URLField(max_length=500, blank=True)
    followed_at = models.DateTimeField(_("following since"), default=timezone.now)

    class Meta:
        verbose_name = _("follower on the fediverse")
        verbose_name_plural = _("followers on the fediverse")
        ordering = ["followed_at", "pk"]

    def __str__(self):
        return self.actor_url

    @property
    def delivery_inbox(self) -> str:
        """One delivery per server: the shared inbox when the server has one."""
        return self.shared_inbox_url or self.inbox_url


class RemoteKey(models.Model):
    """A remote actor's public key, fetched once through the guarded fetcher and kept."""

    key_id = models.URLField(max_length=500, unique=True)
    owner = models.URLField(max_length=500)
    public_key_pem = models.TextField()
    fetched_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.key_id


class InboxItem(models.Model):
    """An activity POSTed to our inbox, kept as received until the worker has dealt with it.

    The inbox answers at once; the worker verifies (after fetching an unknown key) and acts.
    """

    class State(models.TextChoices):
        RECEIVED = "received", _("received")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")

    method = models.CharField(max_length=10, default="POST")
    actor_url = models.URLField(max_length=500, blank=True)
    target = models.CharField(max_length=500)
    headers = models.JSONField(default=dict)
    body = models.BinaryField()
    verified_key_id = models.URLField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RECEIVED)
    outcome = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["received_at", "pk"]
        indexes = [models.Index(fields=["state", "received_at"])]

    def __str__(self):
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.state}"


class PublishedEvent(models.Model):
    """What we last sent about a meeting: its Event's id and a digest of its content.

    A meeting edited since gets an Update; a meeting gone (deleted) gets a Delete, and this row
    remembers that it was sent, so nothing is ever sent twice.
    """

    meeting = models.OneToOneField(
        "workshops.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_event",
    )
    object_id = models.URLField(max_length=500, unique=True)
    digest = models.CharField(max_length=64)
    published_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.object_id


class PublishedDecision(models.Model):
    """An adopted decision we sent as a Note, once."""

    decision = models.OneToOneField(
        "decisions.Decision", on_delete=models.CASCADE, related_name="published_note"
    )
    published_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return str(self.decision_id)


class Activity(models.Model):
    """An activity we sent: public ones (Create, Update, Delete of Events) make the outbox;
    Accept and Ignore answer one actor."""

    activity_id = models.URLField(max_length=500, unique=True)
    kind = models.CharField(max_length=20)
    payload = models.JSONField()
    public = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("activity sent")
        verbose_name_plural = _("activities sent")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["public", "created_at"])]

    def __str__(self):
        return f"{self.kind} {self.activity_id}"


class ActivityDeliveryQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(state=ActivityDelivery.State.PENDING, next_attempt_at__lte=now)

    def given_up(self):
        return self.filter(state=ActivityDelivery.State.GIVEN_UP)


class ActivityDelivery(models.Model):
    """One activity to one inbox (a server's shared inbox when it has one): signed when sent,
    signed anew at each retry, retried with a growing delay, given up after a day."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        GIVEN_UP = "given_up", _("given up")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="deliveries")
    inbox_url = models.URLField(_("inbox"), max_length=500)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = ActivityDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity delivery")
        verbose_name_plural = _("activity deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "inbox_url"], name="activity_delivery_once_per_inbox"
            )
        ]

    def __str__(self):
        return f"{self.activity} → {self.inbox_url}"
