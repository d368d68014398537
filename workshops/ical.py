"""iCalendar (RFC 5545) feeds of meetings and their workshops, with stable UIDs and a VTIMEZONE."""

import datetime
import hashlib
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.http import quote_etag
from icalendar import Calendar, Event, Timezone

from .models import Meeting, Workshop

PRODID = "-//Assemblee//Assemblee des communs//FR"


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{site_host()}"


def workshop_uid(workshop: Workshop) -> str:
    return f"workshop-{workshop.pk}@{site_host()}"


def feed_queryset(meetings):
    """Meetings ready for a feed: venue joined, visible workshops prefetched."""
    return meetings.select_related("venue").prefetch_related(
        Prefetch(
            "workshops",
            queryset=Workshop.objects.visible().order_by("title", "pk"),
            to_attr="feed_workshops",
        )
    )


def _event(uid, summary, meeting, description, url, stamp):
    zone = timezone.get_default_timezone()
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if meeting.venue:
        parts = (meeting.venue.name, meeting.venue.address)
        event.add("location", ", ".join(part for part in parts if part))
    event.add("url", absolute(url))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    # No LAST-MODIFIED: meetings keep no change time, and stamping the fetch time would tell
    # every client that every event changed at each refresh.
    return event


def content_etag(calendar: bytes) -> str:
    """An ETag for a feed that stays the same while only DTSTAMP (the time of the fetch) moves."""
    without_stamps = re.sub(rb"^DTSTAMP[:;][^\r\n]*\r?\n", b"", calendar, flags=re.MULTILINE)
    return quote_etag(hashlib.sha256(without_stamps).hexdigest()[:32])


def stamp_of(now: datetime.datetime | None) -> datetime.datetime:
    """DTSTAMP: now (or the given moment) in UTC, to the second."""
    return (now or timezone.now()).astimezone(datetime.UTC).replace(microsecond=0)


def new_calendar(name: str, stamp: datetime.datetime) -> Calendar:
    """An empty published calendar named `name`, with the site's time zone (shared by every
    feed: the agenda, a person's own, a gathering's programme)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add_component(
        Timezone.from_tzid(
            settings.TIME_ZONE,
            first_date=datetime.date(2010, 1, 1),
            last_date=datetime.date(stamp.year + 10, 1, 1),
        )
    )
    return calendar


def build_calendar(
    meetings, name: str, *, with_workshops: bool = True, now: datetime.datetime | None = None
) -> bytes:
    """One VEVENT per meeting and per visible workshop (workshops span their meeting's time)."""
    stamp = stamp_of(now)
    calendar = new_calendar(name, stamp)
    for meeting in meetings:
        description = meeting.cancellation_reason if meeting.is_cancelled else ""
        workshops = getattr(meeting, "feed_workshops", []) if with_workshops else []
        if not description and workshops:
            description = "\n".join(f"- {workshop.title}" for workshop in workshops)
        calendar.add_component(
            _event(
                meeting_uid(meeting),
                meeting.title,
                meeting,
                description,
                meeting.get_absolute_url(),
                stamp,
            )
        )
        for workshop in workshops:
            event = _event(
                workshop_uid(workshop),
                f"{workshop.title} ({meeting.title})",
                meeting,
                workshop.description,
                workshop.get_absolute_url(),
                stamp,
            )
            event.add("related-to", meeting_uid(meeting))
            calendar.add_component(event)
    return calendar.to_ical()
