"""Venues: where meetings happen and what their rooms offer."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assembly.domain import latitude_field, longitude_field


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = latitude_field()
    longitude = longitude_field()
    accessibility = models.TextField(_("accessibility notes"), blank=True)
    has_work_tables = models.BooleanField(_("work tables"), default=False)
    has_whiteboard = models.BooleanField(_("whiteboard"), default=False)
    has_projector = models.BooleanField(_("projector"), default=False)
    has_good_internet = models.BooleanField(_("good internet"), default=False)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def offers(self) -> list[str]:
        """What the room offers, in words."""
        return [
            str(label)
            for flag, label in (
                (self.has_work_tables, _("work tables")),
                (self.has_whiteboard, _("whiteboard")),
                (self.has_projector, _("projector")),
                (self.has_good_internet, _("good internet")),
            )
            if flag
        ]
