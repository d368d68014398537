"""Meetings and what happens in them: venues, the rhythm, workshops, sign-ups and attendance."""

from .attendance import AppliedTick, Attendance
from .meetings import Meeting, MeetingQuerySet
from .rhythm import Rhythm
from .venues import Venue
from .workshops import Workshop, WorkshopQuerySet, WorkshopSignup, WorkshopSignupQuerySet

__all__ = [
    "AppliedTick",
    "Attendance",
    "Meeting",
    "MeetingQuerySet",
    "Rhythm",
    "Venue",
    "Workshop",
    "WorkshopQuerySet",
    "WorkshopSignup",
    "WorkshopSignupQuerySet",
]
