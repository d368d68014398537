"""The minutes of a meeting: what happened there (presence, plenary notes, workshops) and, through
a small registry, what apps to the right of `workshops` add for the same period (the decisions
opened, voted or closed; the charter versions adopted).

`workshops` knows nothing of those apps: each registers, from its AppConfig.ready(), a function
section(meeting, window) returning {"template": …, "markdown_template": …, "context": {…}} or None.
The page includes each template with its context; the Markdown export includes each
markdown_template (rendered without HTML escaping).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q

from assembly.models import User

from .models import Meeting, Workshop

_sections: list[Callable] = []


@dataclass(frozen=True)
class Window:
    """The period a meeting's minutes report on: after the previous meeting of the same kind
    ended (from the beginning when there is none), up to the end of this one. Consecutive
    meetings' windows follow each other without overlap."""

    since: datetime.datetime | None
    until: datetime.datetime

    def q(self, field: str) -> Q:
        """A filter: the date in `field` falls inside the window."""
        inside = Q(**{f"{field}__lte": self.until})
        if self.since is not None:
            inside &= Q(**{f"{field}__gt": self.since})
        return inside

    def holds(self, moment) -> bool:
        return (
            moment is not None
            and moment <= self.until
            and (self.since is None or moment > self.since)
        )


def register_section(section: Callable) -> Callable:
    """Add section(meeting, window) to every meeting's minutes, in registration order."""
    if section not in _sections:
        _sections.append(section)
    return section


def window_of(meeting: Meeting) -> Window:
    previous = (
        Meeting.objects.filter(kind=meeting.kind, starts_at__lt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")
        .values_list("ends_at", flat=True)
        .first()
    )
    return Window(since=previous, until=meeting.ends_at)


def gather(meeting: Meeting) -> dict:
    """Everything the minutes show, as a template context (the page and the Markdown alike)."""
    window = window_of(meeting)
    present = list(
        User.objects.filter(attendances__meeting=meeting)
        .distinct()
        .order_by("display_name", "pk")
        .values_list("display_name", "listed", "is_active")
    )
    workshops = list(
        Workshop.objects.visible()
        .filter(meeting=meeting)
        .annotate(
            head_count=Count(
                "attendances__person",
                filter=Q(attendances__person__isnull=False),
                distinct=True,
            )
        )
        .prefetch_related("facilitators")
        .order_by("-is_initiation", "title", "pk")
    )
    sections = []
    for section in _sections:
        found = section(meeting, window)
        if found:
            sections.append(found)
    return {
        "meeting": meeting,
        "window": window,
        "present_count": len(present),
        "listed_present": [name for name, listed, active in present if listed and active],
        "workshops": workshops,
        "sections": sections,
    }
