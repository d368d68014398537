"""Meetings and what happens in them: venues, the rhythm, workshops, sign-ups, attendance, and the
log of e-mails delivered about them (reused by the apps to the right of this one)."""

from .attendance import Attendance
from .deliveries import Delivery, DeliveryQuerySet
from .meetings import Meeting, MeetingQuerySet
from .rhythm import Rhythm
from .venues import Venue
from .workshops import Workshop, WorkshopQuerySet, WorkshopSignup, WorkshopSignupQuerySet

__all__ = [
    "Attendance",
    "Delivery",
    "DeliveryQuerySet",
    "Meeting",
    "MeetingQuerySet",
    "Rhythm",
    "Venue",
    "Workshop",
    "WorkshopQuerySet",
    "WorkshopSignup",
    "WorkshopSignupQuerySet",
]
