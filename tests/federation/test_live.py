"""Two assemblies follow each other over real HTTP: ours in live_server, a recorded neighbour on
a second server on 127.0.0.1. Each one's commons reach the other within one refresh."""

import json

import pytest

from federation import fetching, services
from federation.models import Neighbour
from tests.commons_registry.factories import CommonsFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_assemblies_follow_each_other(live_server, neighbour_server, allow_loopback):
    CommonsFactory(name="Jardin de Lillebonne", latitude=50.63, longitude=3.06)

    # We follow the neighbour…
    neighbour = services.follow(neighbour_server.base_url)
    # …and the neighbour follows us: it fetches our live server's document and feeds.
    us = services.follow(live_server.url)

    assert neighbour.commons.count() == 3
    assert list(us.commons.values_list("name", flat=True)) == ["Jardin de Lillebonne"]
    assert us.commons_feed_url == f"{live_server.url}/commons/export.geojson"
    assert us.calendar_feed_url == f"{live_server.url}/calendar.ics"
    # Our network layer, over HTTP, shows the neighbour's commons marked with their source.
    layer = json.loads(
        fetching.fetch(
            f"{live_server.url}/network/export.geojson?local=0&neighbour={neighbour.pk}"
        ).body
    )
    assert {f["properties"]["name"] for f in layer["features"]} == {
        "Jardin des Tisserands", "Repair café de Valenbrune", "Wiki des communs de Valenbrune",
    }  # fmt: skip
    assert {f["properties"]["source"]["url"] for f in layer["features"]} == {
        neighbour_server.base_url
    }
    page = fetching.fetch(f"{live_server.url}/network/").body.decode()
    assert "Assemblée des Communs de Valenbrune" in page
    assert Neighbour.objects.count() == 2
