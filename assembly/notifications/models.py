"""The log of e-mails delivered: one row per (topic, person, kind), sent once."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliveryQuerySet(models.QuerySet):
    def needing_attention(self):
        return self.filter(state__in=[Delivery.State.UNCERTAIN, Delivery.State.FAILED])


class Delivery(models.Model):
    """One e-mail about one thing to one person, claimed before sending and marked after.

    `topic` names what it is about ("meeting:12", "decision:4", "commons:7",
    "membership:2027-03-14"), so that every app reuses this log through assembly.notifications
    without a foreign key to its models.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        UNCERTAIN = "uncertain", _("uncertain")
        FAILED = "failed", _("failed")
        # Never sent: what it would say was known before (an import brought the history that
        # made it due), so it is recorded as told (workshops/membership.py, mark_known).
        KNOWN = "known", _("not sent: known before")

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
        # The log lives in a package of the assembly app, not in an app of its own.
        app_label = "assembly"
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
