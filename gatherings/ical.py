"""iCalendar feeds of a gathering's programme and of a person's own programme, with the same
stable-UID and ETag habits as the meetings' feeds (workshops/ical.py)."""

from django.utils import timezone
from icalendar import Event

from workshops.ical import absolute, content_etag, new_calendar, site_host, stamp_of

__all__ = ["build_calendar", "content_etag"]


def session_uid(session) -> str:
    return f"gathering-session-{session.pk}@{site_host()}"


def build_calendar(sessions, name: str, *, now=None) -> bytes:
    stamp = stamp_of(now)
    zone = timezone.get_default_timezone()
    calendar = new_calendar(name, stamp)
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
