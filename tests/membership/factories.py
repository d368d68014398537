"""Meetings, workshops and attendance for membership tests: only what the rule reads."""

import datetime
import zoneinfo

import factory

from tests.factories import UserFactory
from workshops.models import Attendance, Meeting, Workshop

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(year, month, day, hour=18, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Assemblée {n}")
    starts_at = factory.LazyFunction(lambda: paris(2026, 3, 26))
    ends_at = factory.LazyAttribute(lambda meeting: meeting.starts_at + datetime.timedelta(hours=3))


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Atelier {n}")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    person = factory.SubFactory(UserFactory)
    meeting = factory.SubFactory(MeetingFactory)


def attend(person, *starts, workshop=False):
    """Record the person at a new meeting starting at each given time (at a workshop if asked)."""
    meetings = []
    for start in starts:
        meeting = MeetingFactory(starts_at=start)
        if workshop:
            AttendanceFactory(
                person=person, meeting=meeting, workshop=WorkshopFactory(meeting=meeting)
            )
        else:
            AttendanceFactory(person=person, meeting=meeting)
        meetings.append(meeting)
    return meetings
