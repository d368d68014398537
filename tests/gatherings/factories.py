"""A gathering ready to program: two days from a week on, two sites (one with two rooms), a track,
an organiser; and helpers that place sessions on its grid."""

import datetime

from django.utils import timezone

from gatherings import services
from gatherings.models import Format
from tests.factories import UserFactory
from tests.workshops.factories import VenueFactory


def day_at(gathering, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    zone = timezone.get_current_timezone()
    date = gathering.starts_on + datetime.timedelta(days=day)
    return datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=zone)


def fmt(key: str = "workshop") -> Format:
    return Format.objects.get(gathering=None, key=key)


def gathering(*, organiser=None, slug="rencontre", capacity=None, **fields):
    organiser = organiser or UserFactory()
    today = timezone.localdate()
    result = services.create_gathering(
        by=organiser,
        title=fields.pop("title", "Rencontre régionale"),
        slug=slug,
        starts_on=today + datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=8),
        registration_open=fields.pop("registration_open", True),
        capacity=capacity,
        **fields,
    )
    services.add_site(result, VenueFactory(name="Halle"), rooms=["Grande salle", "Atelier"])
    services.add_site(result, VenueFactory(name="Jardin"))
    services.add_track(result, "Alimentation")
    return result


def place(gathering, title, *, day=0, hour=10, hours=1, room=None, site=None, key="workshop", **f):
    """An accepted session on the grid; by default in the hall's big room."""
    if room is None and site is None:
        room = gathering.sites.get(venue__name="Halle").rooms.get(name="Grande salle")
    return services.add_session(
        gathering,
        title=title,
        format=fmt(key),
        starts_at=day_at(gathering, day, hour),
        ends_at=day_at(gathering, day, hour + hours),
        room=room,
        site=site,
        **f,
    )
