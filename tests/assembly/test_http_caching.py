"""Feeds and exports answer with an ETag and a 304 to a conditional GET that already holds them; the
ETag changes after a write. Calendar clients poll every few minutes."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commons_registry.models import Commons
from decisions.models import Decision
from federation.models import NeighbourCommons
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import discussion
from tests.factories import UserFactory
from tests.federation.factories import NeighbourCommonsFactory
from tests.workshops.factories import MeetingFactory, SignupFactory, WorkshopFactory
from workshops.models import Meeting

pytestmark = pytest.mark.django_db


def _commons(url_name):
    def arrange():
        commons = CommonsFactory(name="Le jardin")
        return reverse(url_name), lambda: Commons.objects.filter(pk=commons.pk).update(
            name="Le verger"
        )

    return arrange


def _meeting(url_of):
    """A meeting whose title the page shows; `url_of(meeting)` is the page."""

    def arrange():
        meeting = MeetingFactory(title="Assemblée de mars")
        return url_of(meeting), lambda: Meeting.objects.filter(pk=meeting.pk).update(
            title="Assemblée d'avril"
        )

    return arrange


def _private_calendar():
    person = UserFactory()
    signup = SignupFactory(person=person, workshop=WorkshopFactory(title="Compost"))
    return reverse("calendar:private", args=[person.calendar_token]), lambda: WorkshopFactory(
        meeting=signup.workshop.meeting, title="Vélo"
    )


def _decisions_feed():
    decision = discussion(title="Un vélo cargo")
    return reverse("feeds:decisions"), lambda: Decision.objects.filter(pk=decision.pk).update(
        title="Deux vélos cargo"
    )


def _network_export():
    copy = NeighbourCommonsFactory(name="Le jardin voisin")
    return reverse("network:export-geojson"), lambda: NeighbourCommons.objects.filter(
        pk=copy.pk
    ).update(name="Le verger voisin")


FEEDS_AND_EXPORTS = {
    "calendar.ics": _meeting(lambda meeting: reverse("calendar:public")),
    "meeting .ics": _meeting(lambda meeting: reverse("meetings:ics", args=[meeting.pk])),
    "private calendar": _private_calendar,
    "commons GeoJSON": _commons("commons:export-geojson"),
    "commons CSV": _commons("commons:export-csv"),
    "agenda Atom": _meeting(lambda meeting: reverse("feeds:agenda")),
    "decisions Atom": _decisions_feed,
    "commons Atom": _commons("feeds:commons"),
    "network GeoJSON": _network_export,
}


@pytest.mark.parametrize("name", sorted(FEEDS_AND_EXPORTS))
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_feed_answers_304_until_a_write_changes_it(name, signed_in, person):
    url, change = FEEDS_AND_EXPORTS[name]()
    client = Client()
    if signed_in:
        client.force_login(person)
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"]

    unchanged = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert unchanged.status_code == 304
    assert unchanged.content == b""

    change()

    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


@pytest.mark.parametrize("url_name", ["calendar:public", "feeds:agenda"])
def test_time_passing_alone_does_not_change_the_etag(client, url_name):
    start = timezone.now().replace(second=5, microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        MeetingFactory(title="Assemblée de mars", starts_at=start + datetime.timedelta(days=3))
        first = client.get(reverse(url_name))
        # Minutes later the page is built again (DTSTAMP, the time of the fetch, has moved).
        traveller.shift(datetime.timedelta(minutes=5))
        again = client.get(reverse(url_name), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
