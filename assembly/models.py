"""The person model and the assembly's one configuration row: the two things every app needs;
and the e-mail delivery log, defined in assembly/notifications/ and imported here so that Django
finds it."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    Group,
    PermissionsMixin,
)
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .domain import latitude_field, longitude_field
from .folding import fold

# Imported here so that Django finds the model: the assembly app's models are those of this module.
from .notifications.models import Delivery  # noqa: F401
from .page_cache.versioning import kept_row
from .prepared import prepared

FACILITATORS_GROUP = "Facilitators"


# Asked on most pages a signed-in person sees: built and compiled once (assembly/prepared.py).
@prepared()
def _facilitator_group_of(person):
    return Group.objects.filter(user=person, name=FACILITATORS_GROUP).values_list("pk")[:1]


class UserQuerySet(models.QuerySet):
    def members(self, on: datetime.date | None = None):
        """People who declared themselves members and are still eligible on that date."""
        on = on or timezone.localdate()
        return self.filter(
            is_active=True, membership_declared_at__isnull=False, eligible_until__gte=on
        )

    def listed(self):
        return self.filter(is_active=True, listed=True)

    def facilitators(self):
        return self.filter(is_active=True, groups__name=FACILITATORS_GROUP)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self.none()
        # Folded on both sides: accents and case are ignored ("Helene" finds "Hélène").
        return self.filter(search_name__contains=fold(text))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        """A person; without a password (registered at the door) until they claim the account."""
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class User(AbstractBaseUser, PermissionsMixin):
    """A person of the assembly. E-mail is the login; walk-ins may have none until they give one."""

    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    display_name = models.CharField(_("display name"), max_length=150)
    bio = models.TextField(_("short bio"), max_length=500, blank=True)
    listed = models.BooleanField(
        _("listed on the people page"),
        default=False,
        help_text=_("Show my name, bio and membership on the public people page."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    membership_declared_at = models.DateTimeField(_("declared member at"), null=True, blank=True)
    eligible_until = models.DateField(_("eligible for membership until"), null=True, blank=True)
    calendar_token = models.CharField(
        _("private calendar token"), max_length=64, unique=True, default=new_calendar_token
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # The name and e-mail folded (lower case, no accents), kept by save() for the door's search.
    search_name = models.CharField(max_length=400, blank=True, default="", editable=False)
    # Set when an import (attendance, people) created the person: until they claim the account
    # (choose a password), no membership e-mail reaches them (workshops/membership.py).
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True, editable=False)
    # When "invite these people" (after a people import) queued their claim invitation: once each.
    claim_invited_at = models.DateTimeField(
        _("invited to claim the account at"), null=True, blank=True, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name or self.email or f"#{self.pk}"

    def get_full_name(self):
        return str(self)

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.display_name} {self.email or ''}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"display_name", "email"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_short_name(self):
        return str(self)

    @property
    def is_facilitator(self) -> bool:
        if not self.is_authenticated or not self.is_active:
            return False
        if self.is_superuser:
            return True
        # Cached per instance: templates ask several times per page. The signed-in person comes
        # with the answer, read with them at each request (assembly/signed_in.py).
        if not hasattr(self, "_is_facilitator"):
            self._is_facilitator = bool(_facilitator_group_of(person=self.pk))
        return self._is_facilitator

    def is_member(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return bool(
            self.membership_declared_at and self.eligible_until and self.eligible_until >= on
        )

    def is_eligible(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return bool(self.eligible_until and self.eligible_until >= on)

    @property
    def is_unclaimed_import(self) -> bool:
        """Brought in by an import and never signed in with a password of their own."""
        return self.imported_at is not None and not self.has_usable_password()


def unclaimed_imports() -> Q:
    """People an import created who have not claimed their account yet (no usable password:
    Django marks an unusable one with a leading "!")."""
    return Q(imported_at__isnull=False, password__startswith=UNUSABLE_PASSWORD_PREFIX)


class AssemblyConfiguration(models.Model):
    """The one row the assembly's volunteers edit in the admin: who we are and our rules."""

    name = models.CharField(_("name"), max_length=200, default="Assemblée des Communs")
    city = models.CharField(_("city"), max_length=120, blank=True)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    membership_min_sessions = models.PositiveSmallIntegerField(
        _("sessions needed for membership"), default=2, validators=[MinValueValidator(1)]
    )
    membership_window_days = models.PositiveSmallIntegerField(
        _("membership window (days)"), default=365, validators=[MinValueValidator(1)]
    )
    discussion_days = models.PositiveSmallIntegerField(
        _("discussion length (days)"), default=7, validators=[MinValueValidator(1)]
    )
    vote_days = models.PositiveSmallIntegerField(
        _("vote length (days)"), default=7, validators=[MinValueValidator(1)]
    )
    vote_quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (% of the roll)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    currency = models.CharField(
        _("currency"), max_length=8, default="€", help_text=_("Shown after every amount.")
    )
    budget_public = models.BooleanField(
        _("budget is public"),
        default=True,
        help_text=_("Unticked: only members and facilitators see the budget ledger."),
    )
    languages = models.CharField(
        _("languages"),
        max_length=50,
        default="fr,en",
        help_text=_("The languages the site offers, comma-separated codes (fr, en)."),
    )
    # The map's default view (the town), where it opens before any commons is shown.
    map_latitude = latitude_field()
    map_longitude = longitude_field()
    # Moving in (issue 22): the wizard at /setup/ was finished once (its steps may be skipped),
    # and the checklist on home and /settings/ was put away by an administrator.
    set_up_at = models.DateTimeField(_("set up at"), null=True, blank=True)
    checklist_dismissed_at = models.DateTimeField(
        _("moving-in checklist dismissed at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("assembly configuration")
        verbose_name_plural = _("assembly configuration")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="assembly_configuration_single_row")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @property
    def language_codes(self) -> list[str]:
        """The offered languages, in the order of settings.LANGUAGES; all of them if none is."""
        chosen = {code.strip() for code in self.languages.split(",") if code.strip()}
        codes = [code for code, _name in settings.LANGUAGES if code in chosen]
        return codes or [code for code, _name in settings.LANGUAGES]

    @classmethod
    def get(cls) -> "AssemblyConfiguration":
        config, _created = cls.objects.get_or_create(pk=1)
        return config

    @classmethod
    def current(cls, *, versions=None) -> "AssemblyConfiguration":
        """The row as every page shows it: kept per version of its table (assembly/page_cache;
        `versions`, when the request read them already), so any write to it, however made, is
        seen at the next request."""
        return kept_row(
            CONFIGURATION_ROW, _configuration_row, tables=(cls._meta.db_table,), versions=versions
        )


def _configuration_row() -> AssemblyConfiguration:
    """AssemblyConfiguration.get(), its read prepared: created when missing, as get_or_create
    does after its read (without reading again)."""
    found = _the_configuration_row()
    if found:
        return found[0]
    try:
        with transaction.atomic():
            return AssemblyConfiguration.objects.create(pk=1)
    except IntegrityError:  # another request created it meanwhile
        return AssemblyConfiguration.objects.get(pk=1)


# Every first view after a write reads it: built and compiled once (assembly/prepared.py).
@prepared()
def _the_configuration_row():
    return AssemblyConfiguration.objects.filter(pk=1)


# The name the configuration row is kept under (page_cache.versioning.kept_row).
CONFIGURATION_ROW = "assembly-configuration"


class SettingChange(models.Model):
    """One change an administrator made at /setup/ or /settings/: who, when, what, and the values
    before and after (listed on /settings/; the Django admin's own log covers repairs)."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    subject = models.CharField(_("what"), max_length=200)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        verbose_name = _("settings change")
        verbose_name_plural = _("settings changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["-changed_at", "-id"], name="settingchange_recent")]

    def __str__(self):
        return f"{self.subject} ({self.changed_at:%Y-%m-%d %H:%M})"


class FacilitatorInvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True)


class FacilitatorInvitation(models.Model):
    """An e-mail address invited to become a facilitator. Following the e-mailed link and signing
    in (or up) with that address accepts it (assembly/facilitators.py)."""

    email = models.EmailField(_("e-mail address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    times_sent = models.PositiveSmallIntegerField(_("times sent"), default=0)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects = FacilitatorInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("facilitator invitation")
        verbose_name_plural = _("facilitator invitations")
        ordering = ["-invited_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(accepted_at__isnull=True),
                name="one_pending_facilitator_invitation_per_email",
            )
        ]

    def __str__(self):
        return self.email


class SetupLink(models.Model):
    """A one-time link printed by `manage.py setup_link`: whoever follows it first, before it
    expires, becomes an administrator. Only the SHA-256 of its secret is kept."""

    secret_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("set-up link")
        verbose_name_plural = _("set-up links")

    def __str__(self):
        return f"set-up link of {self.created_at:%Y-%m-%d %H:%M}"


class MergeLog(models.Model):
    """The history of merges: who merged whom into whom, when, and what moved (assembly.merging)."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    kept = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="merges",
        verbose_name=_("person kept"),
    )
    # The merged person is deleted: their id, name and address are kept here as they were.
    merged_id = models.PositiveIntegerField(_("id of the person merged"))
    merged_display_name = models.CharField(_("name of the person merged"), max_length=150)
    merged_email = models.CharField(_("e-mail of the person merged"), max_length=254, blank=True)
    merged_at = models.DateTimeField(_("merged at"))
    moved = models.JSONField(_("rows moved"), default=dict)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at", "-pk"]

    def __str__(self):
        return f"#{self.merged_id} → #{self.kept_id}"


class DeferredTask(models.Model):
    """A task that could not be enqueued because the broker did not answer (assembly/tasking.py).
    The write it follows has committed; the task waits here until the periodic sweep
    `assembly.enqueue_deferred_tasks` enqueues it once the broker is back (assembly/deferred.py).
    Only task names and ids: never personal data."""

    name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    deferred_at = models.DateTimeField(_("deferred at"), default=timezone.now)

    class Meta:
        verbose_name = _("deferred task")
        verbose_name_plural = _("deferred tasks")
        ordering = ["deferred_at", "pk"]

    def __str__(self):
        return f"{self.name} {self.kwargs}"


class Topic(models.TextChoices):
    """What an e-mail is about; each person chooses how often they hear about each."""

    ASSEMBLIES = "assemblies", _("assemblies")
    DECISIONS = "decisions", _("discussions and votes")
    COMMONS = "commons", _("the commons directory")
    OWN = "own", _("my own things")
    GATHERINGS = "gatherings", _("gatherings")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("as it happens")
    WEEKLY = "weekly", _("weekly digest")
    NEVER = "never", _("never")


# Like Loomio's "new threads and proposals": what calls people together arrives at once.
DEFAULT_FREQUENCIES = {
    Topic.ASSEMBLIES: Frequency.IMMEDIATE,
    Topic.DECISIONS: Frequency.IMMEDIATE,
    Topic.COMMONS: Frequency.WEEKLY,
    Topic.OWN: Frequency.WEEKLY,
    # A place freed on a waitlist or a session moved is worth knowing at once.
    Topic.GATHERINGS: Frequency.IMMEDIATE,
}


def _frequency_field(topic: Topic) -> models.CharField:
    return models.CharField(
        topic.label,
        max_length=10,
        choices=Frequency.choices,
        default=DEFAULT_FREQUENCIES[topic],
    )


class NotificationPreferences(models.Model):
    """How often a person hears about each topic. No row means the defaults."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        primary_key=True,
    )
    assemblies = _frequency_field(Topic.ASSEMBLIES)
    decisions = _frequency_field(Topic.DECISIONS)
    commons = _frequency_field(Topic.COMMONS)
    own = _frequency_field(Topic.OWN)
    gatherings = _frequency_field(Topic.GATHERINGS)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.person_id}: " + ", ".join(
            f"{topic}={getattr(self, topic)}" for topic in Topic.values
        )


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        """Subscribers who clicked the confirmation link and have no account of their own."""
        return self.filter(confirmed_at__isnull=False, person__isnull=True)

    def told(self):
        """Imported subscribers who were sent the one-time notice (GDPR Art. 14)."""
        return self.filter(_notice_sent())

    def receiving(self):
        """Who the announcement goes to: subscribers without an account who confirmed here, or
        who came from an imported list and were sent the notice first; never an address on the
        do-not-mail list."""
        imported_and_told = Q(source=Subscriber.Source.IMPORT) & _notice_sent()
        return self.filter(
            Q(confirmed_at__isnull=False) | imported_and_told, person__isnull=True
        ).exclude(email__in=DoNotMail.objects.values("email"))


def _notice_sent() -> models.Exists:
    return models.Exists(
        SubscriberDelivery.objects.filter(
            subscriber=models.OuterRef("pk"),
            kind=IMPORT_NOTICE_KIND,
            state=SubscriberDelivery.State.SENT,
        )
    )


# The kind of the one-time notice sent to each imported subscriber (assembly.notifications.lists).
IMPORT_NOTICE_KIND = "import-notice"


class Subscriber(models.Model):
    """Someone without an account who receives the assembly's announcement (the "info" list).

    Nothing but the confirmation is sent until `confirmed_at` is set (double opt-in). When the
    address signs up, `person` points at the account, which receives the announcement instead.
    An address imported from the assembly's former list is active at once, but receives nothing
    before the one-time notice that says who we are and why (`receiving()`).
    """

    class Source(models.TextChoices):
        FORM = "form", _("the subscription page")
        IMPORT = "import", _("an imported mailing list")

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(_("subscribed at"), default=timezone.now)
    # Where the address came from: the page (double opt-in), or a list the assembly kept before
    # (then `source_name` is the file, `name` the name it gave, and the one-time notice is due
    # before anything else is sent: assembly.notifications.lists).
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.FORM
    )
    source_name = models.CharField(_("imported from"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("joined to the account"),
    )

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email


class DigestItem(models.Model):
    """One thing that happened, waiting for a person's weekly digest.

    Apps add items (through assembly.notifications.digest) for the people who chose the weekly
    digest for that topic; the digest groups them by `group_key` (a meeting, a decision). Once
    included in a week's digest, `week` holds its ISO label ("2026-W49"), so no item is sent twice.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_items"
    )
    topic = models.CharField(max_length=12, choices=Topic.choices)
    kind = models.CharField(max_length=40)
    group_key = models.CharField(max_length=80)
    group_title = models.CharField(max_length=300)
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    happened_at = models.DateTimeField()
    week = models.CharField(max_length=10, blank=True, db_index=True)

    class Meta:
        verbose_name = _("digest item")
        verbose_name_plural = _("digest items")
        ordering = ["-happened_at"]
        constraints = [
            # An event reaches a person's digest once, however often it is recorded.
            models.UniqueConstraint(
                fields=["person", "kind", "group_key", "url"], name="one_digest_item_per_event"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.group_key} → {self.person_id}"


class SubscriberDelivery(models.Model):
    """One e-mail to one subscriber (who has no account, so no row in the delivery log of people),
    claimed before sending and marked after, exactly as deliveries to people are."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        UNCERTAIN = "uncertain", _("uncertain")
        FAILED = "failed", _("failed")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    topic = models.CharField(_("about"), max_length=80)
    kind = models.CharField(_("kind"), max_length=60)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("e-mail delivery to a subscriber")
        verbose_name_plural = _("e-mail deliveries to subscribers")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "subscriber", "kind"],
                name="one_delivery_per_topic_subscriber_kind",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.topic} → subscriber {self.subscriber_id} ({self.state})"


class CacheOutage(models.Model):
    """A content-version bump that the shared cache did not take (assembly/page_cache): written
    down here, where every process sees it, until a new version makes it good. No page shows it."""

    noticed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lost cache invalidation")
        verbose_name_plural = _("lost cache invalidations")

    def __str__(self):
        return str(self.noticed_at)


class DoNotMail(models.Model):
    """An address the assembly never writes to again: it unsubscribed or bounced on the list the
    assembly kept before (imported), or unsubscribed here. No import brings it back and the
    subscription page answers as usual without subscribing it; only an address that unsubscribed
    here may subscribe again itself, by confirming (double opt-in)."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed from the former list")
        BOUNCED = "bounced", _("bounced on the former list")
        UNSUBSCRIBED_HERE = "left", _("unsubscribed here")

    email = models.EmailField(_("e-mail address"), unique=True)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    source_name = models.CharField(_("recorded from"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("address not to write to")
        verbose_name_plural = _("do-not-mail list")
        ordering = ["email"]

    def __str__(self):
        return f"{self.email} ({self.reason})"

    @classmethod
    def blocks(cls, email: str, *, subscribing: bool = False) -> bool:
        """Whether this address is on the list (for a person subscribing themselves, an address
        that only unsubscribed here does not count: they may come back)."""
        entries = cls.objects.filter(email__iexact=(email or "").strip())
        if subscribing:
            entries = entries.exclude(reason=cls.Reason.UNSUBSCRIBED_HERE)
        return entries.exists()


# The import engine's tables belong to this app (assembly/imports/models.py).
from .imports.models import (  # noqa: E402, F401
    ImportBatch,
    ImportFile,
    ImportMapping,
    ImportRecord,
)
