"""Attendance recorded at the door: the fact that membership is computed from."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .meetings import Meeting
from .workshops import Workshop


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
    # Made by the phone that ticked, offline perhaps: the tick that created this row. A retry or
    # a replay of a tick is recognised by the log of ids applied (AppliedTick), which outlives
    # an undo of the row.
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

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


class AppliedTick(models.Model):
    """The id a phone made for a tick or a walk-in, once the tick was applied.

    `Attendance.client_id` goes when an undo deletes the row; this log stays, so that the same
    queued tick sent again later (a phone replaying its queue after the undo) is answered as
    handled instead of ticking the person back in."""

    client_id = models.UUIDField(unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    # Deleted with the account: a replay of a deleted person's tick has nobody left to tick.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applied_ticks"
    )
    applied_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tick sent from a phone")
        verbose_name_plural = _("ticks sent from a phone")

    def __str__(self):
        return f"{self.client_id} → {self.person_id} @ {self.meeting_id}"
