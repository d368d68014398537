"""The recurring rule made concrete: which day and hour each month's assembly falls on, and the
planner that creates the missing upcoming assemblies, each with its initiation workshop."""

import calendar
import datetime
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Meeting, Rhythm, Workshop

logger = logging.getLogger(__name__)


def slot_date(year: int, month: int, weekday: int, week_of_month: int) -> datetime.date:
    """The date of the n-th (1 to 4) or last (-1) given weekday of a month."""
    days_in_month = calendar.monthrange(year, month)[1]
    if week_of_month == Rhythm.Week.LAST:
        last = datetime.date(year, month, days_in_month)
        return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)
    first = datetime.date(year, month, 1)
    first_match = first + datetime.timedelta(days=(weekday - first.weekday()) % 7)
    return first_match + datetime.timedelta(weeks=week_of_month - 1)


def month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def start_time(rhythm: Rhythm, day: datetime.date) -> datetime.time:
    """Alternation by month: the same month always gets the same hour, whatever ran before."""
    times = rhythm.parsed_start_times()
    return times[month_index(day) % len(times)]


def local_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """Wall-clock time in the assembly's time zone, right on both sides of a DST change."""
    return datetime.datetime.combine(day, time, tzinfo=ZoneInfo(settings.TIME_ZONE))


def upcoming_slots(rhythm: Rhythm, today: datetime.date) -> list[datetime.date]:
    """The next `months_ahead` slot dates from today on (today included)."""
    slots = []
    year, month = today.year, today.month
    while len(slots) < rhythm.months_ahead:
        day = slot_date(year, month, rhythm.weekday, rhythm.week_of_month)
        if day >= today:
            slots.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return slots


def create_assembly(rhythm: Rhythm, day: datetime.date) -> Meeting:
    starts_at = local_datetime(day, start_time(rhythm, day))
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.ASSEMBLY,
        title=rhythm.meeting_title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=rhythm.duration_minutes),
        venue=rhythm.default_venue,
        planned_for=day,
    )
    add_initiation_workshop(meeting, rhythm)
    return meeting


def add_initiation_workshop(meeting: Meeting, rhythm: Rhythm | None = None) -> Workshop:
    """Every assembly opens a way in for newcomers: its "initiation to the commons" workshop.

    Planned assemblies and those a facilitator creates by hand both get it here. Returns the one
    already there, if any (at most one per meeting, a database constraint).
    """
    existing = Workshop.objects.filter(meeting=meeting, is_initiation=True).first()
    if existing is not None:
        return existing
    rhythm = rhythm or Rhythm.get()
    return Workshop.objects.create(
        meeting=meeting,
        title=rhythm.initiation_title,
        description=rhythm.initiation_description,
        is_initiation=True,
    )


def month_has_assembly(year: int, month: int, zone) -> Q:
    """The month already has its assembly: one the planner made, or one a facilitator added by
    hand (moved to another day, say), which the planner must not double."""
    first = datetime.datetime(year, month, 1, tzinfo=zone)
    next_first = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    by_hand = Q(
        kind=Meeting.Kind.ASSEMBLY,
        planned_for__isnull=True,
        starts_at__gte=first,
        starts_at__lt=next_first,
    )
    return Q(planned_for__year=year, planned_for__month=month) | by_hand


@transaction.atomic
def plan_upcoming_meetings(now: datetime.datetime | None = None) -> list[Meeting]:
    """Create the assemblies the rule calls for that do not exist yet. Safe to run any number of
    times: one planned assembly per month, so changing the rule never duplicates a month."""
    Rhythm.get()
    # Lock the rule's row: two planners at once would otherwise both see a month as empty.
    rhythm = Rhythm.objects.select_for_update().get(pk=1)
    today = timezone.localdate(now or timezone.now())
    created = []
    for day in upcoming_slots(rhythm, today):
        month_taken = Meeting.objects.filter(
            month_has_assembly(day.year, day.month, ZoneInfo(settings.TIME_ZONE))
        ).exists()
        if not month_taken:
            created.append(create_assembly(rhythm, day))
    if created:
        logger.info(
            "planned %d meeting(s): %s",
            len(created),
            ", ".join(str(m.planned_for) for m in created),
        )
    return created
