"""iCalendar feeds of a gathering's programme and of a person's own programme, with the same
stable-UID and ETag habits as the meetings' feeds (workshops/ical.py)."""

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from workshops.ical import PRODID, absolute, content_etag, site_host

__all__ = ["build_calendar", "content_etag"]


def session_uid(session) -> str:
    return f"gathering-session-{session.pk}@{site_host()}"


def build_calendar(sessions, name: str, *, now=None) -> bytes:
    stamp = (now or timezone.now()).astimezone(datetime.UTC).replace(microsecond=0)
    zone = timezone.get_default_timezone()
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
    for session in sessions:
        event = Event()
        event.add("uid", session_uid(session))
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
        event.add("summary", session.title)
        if session.description:
            event.add("description", session.description)
        site = session.where_site
        if site is not None:
            parts = (str(session.place), site.venue.address)
            event.add("location", ", ".join(part for part in parts if part))
        event.add("url", absolute(session.get_absolute_url()))
        event.add("categories", [str(session.format.label)])
        calendar.add_component(event)
    return calendar.to_ical()
