"""Factories for federation's tests: neighbours and the copies of what they publish."""

import datetime

import factory
from django.utils import timezone

from federation.models import Neighbour, NeighbourCommons, NeighbourMeeting


class NeighbourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbour

    base_url = factory.Sequence(lambda n: f"https://voisine-{n}.example.org")
    name = factory.Sequence(lambda n: f"Assemblée voisine {n}")
    city = "Valenbrune"
    latitude = 50.36
    longitude = 3.52
    commons_feed_url = factory.LazyAttribute(lambda o: f"{o.base_url}/commons/export.geojson")
    calendar_feed_url = factory.LazyAttribute(lambda o: f"{o.base_url}/calendar.ics")
    last_success_at = factory.LazyFunction(timezone.now)


class NeighbourCommonsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeighbourCommons

    neighbour = factory.SubFactory(NeighbourFactory)
    source_id = factory.Sequence(lambda n: f"commun-{n}")
    name = factory.Sequence(lambda n: f"Commun voisin {n}")
    summary = "Un commun d'à côté."
    url = factory.LazyAttribute(lambda o: f"{o.neighbour.base_url}/commons/{o.source_id}/")
    category = "Jardins et alimentation"
    status = "active"
    latitude = 50.36
    longitude = 3.52


class NeighbourMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeighbourMeeting

    neighbour = factory.SubFactory(NeighbourFactory)
    source_id = factory.Sequence(lambda n: f"meeting-{n}@voisine")
    title = factory.Sequence(lambda n: f"Assemblée voisine de mois {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    location = "Tiers-lieu La Filature"
    url = factory.LazyAttribute(lambda o: f"{o.neighbour.base_url}/meetings/1/")
