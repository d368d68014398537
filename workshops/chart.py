"""Participation over time: distinct people per meeting, drawn as an SVG bar chart on the server."""

import dataclasses
import datetime

from django.db.models import Count, Q
from django.utils import timezone

from .models import Meeting

WIDTH = 720
HEIGHT = 220
MARGIN_LEFT = 36
MARGIN_BOTTOM = 28
MARGIN_TOP = 12
MONTHS = 24


@dataclasses.dataclass
class Bar:
    meeting: Meeting
    people: int
    x: float
    y: float
    width: float
    height: float


@dataclasses.dataclass
class Participation:
    bars: list[Bar]
    meeting_count: int
    average: float
    maximum: int
    ticks: list[tuple[int, float]]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = MARGIN_LEFT
    baseline: float = HEIGHT - MARGIN_BOTTOM


def participation(now: datetime.datetime | None = None) -> Participation:
    """Meetings of the last 24 months that have begun, with their count of distinct people."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=round(MONTHS * 30.44))
    meetings = list(
        Meeting.objects.filter(starts_at__gte=since, starts_at__lte=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .annotate(
            people=Count("attendances__person", distinct=True)
            # People who deleted their account stay counted: one nameless meeting-level row each
            # (see personal_data.keep_attendance_anonymously).
            + Count(
                "attendances",
                filter=Q(attendances__person=None, attendances__workshop=None),
            )
        )
        .only("title", "starts_at")
        .order_by("starts_at")
    )
    maximum = max((m.people for m in meetings), default=0)
    scale_top = max(maximum, 1)
    plot_width = WIDTH - MARGIN_LEFT - 8
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_width / max(len(meetings), 1)
    bars = []
    for index, meeting in enumerate(meetings):
        height = plot_height * meeting.people / scale_top
        bars.append(
            Bar(
                meeting=meeting,
                people=meeting.people,
                x=round(MARGIN_LEFT + index * slot + slot * 0.15, 1),
                y=round(HEIGHT - MARGIN_BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
            )
        )
    ticks = [
        (value, round(HEIGHT - MARGIN_BOTTOM - plot_height * value / scale_top, 1))
        for value in sorted({0, scale_top // 2, scale_top})
    ]
    total = sum(m.people for m in meetings)
    average = round(total / len(meetings), 1) if meetings else 0.0
    return Participation(
        bars=bars, meeting_count=len(meetings), average=average, maximum=maximum, ticks=ticks
    )
