"""seed_demo follows Valenbrune from fixtures, without any network, and twice changes nothing."""

import io

import pytest
from django.core.management import call_command

from federation.models import Neighbour, Publication

pytestmark = pytest.mark.django_db


def test_seed_demo_follows_a_fictional_neighbour_from_fixtures(client):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    call_command("seed_demo", force=True, stdout=io.StringIO())

    neighbour = Neighbour.objects.get()
    assert neighbour.name == "Assemblée des Communs de Valenbrune"
    assert neighbour.commons.count() == 8
    assert neighbour.meetings.count() == 3
    page = client.get("/network/").content.decode()
    assert "Assemblée des Communs de Valenbrune" in page
    assert "8 communs" in page
    layer = client.get("/network/export.geojson?local=0").json()["features"]
    assert len([f for f in layer if f["geometry"]]) == 7
    assert Publication.get().enabled is True
    assert client.get("/.well-known/nodeinfo").status_code == 200
