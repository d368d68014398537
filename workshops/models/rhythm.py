"""The assembly's recurring rule, from which upcoming assemblies are planned."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .venues import Venue


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

    announcement_days = models.PositiveSmallIntegerField(
        _("announcement (days before)"),
        default=10,
        help_text=_("How many days before each assembly its announcement is e-mailed (0: never)."),
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
