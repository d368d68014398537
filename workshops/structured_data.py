"""Meetings and workshops as schema.org Events (JSON-LD), for search engines and calendars.

Built from the objects the page's view already loaded (the meeting with its venue), so that the
page's query count does not change.
"""

from django.utils import timezone

from assembly.addresses import split_address
from assembly.models import AssemblyConfiguration

SCHEMA = "https://schema.org"


def place(venue) -> dict | None:
    if venue is None:
        return None
    found = {
        "@type": "Place",
        "name": venue.name,
        "address": {"@type": "PostalAddress", **split_address(venue.address)},
    }
    if venue.latitude is not None and venue.longitude is not None:
        found["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    return found


def _event(name, url, meeting, description="", configuration=None) -> dict:
    if configuration is None:
        configuration = AssemblyConfiguration.current()
    cancelled = meeting.is_cancelled
    event = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": name,
        "url": url,
        "startDate": timezone.localtime(meeting.starts_at).isoformat(),
        "endDate": timezone.localtime(meeting.ends_at).isoformat(),
        "eventStatus": f"{SCHEMA}/{'EventCancelled' if cancelled else 'EventScheduled'}",
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        "isAccessibleForFree": True,
        "organizer": {"@type": "Organization", "name": configuration.name},
    }
    if description:
        event["description"] = description
    location = place(meeting.venue)
    if location:
        event["location"] = location
    return event


def meeting_event(meeting, absolute, configuration=None) -> dict:
    """`configuration`: the assembly's, as the page's view has it (read under the versions its
    request read already, rather than reading them again)."""
    return _event(
        meeting.title, absolute(meeting.get_absolute_url()), meeting, configuration=configuration
    )


def workshop_event(workshop, absolute, configuration=None) -> dict:
    event = _event(
        workshop.title,
        absolute(workshop.get_absolute_url()),
        workshop.meeting,
        description=workshop.description[:500],
        configuration=configuration,
    )
    event["superEvent"] = {
        "@type": "Event",
        "name": workshop.meeting.title,
        "url": absolute(workshop.meeting.get_absolute_url()),
    }
    return event
