"""The network page, the merged GeoJSON, the nearby meetings, and how untrusted text is shown."""

import datetime

import pytest
from django.utils import timezone

from assembly.models import AssemblyConfiguration
from tests.commons_registry.factories import CommonsFactory
from tests.federation.factories import (
    NeighbourCommonsFactory,
    NeighbourFactory,
    NeighbourMeetingFactory,
)

pytestmark = pytest.mark.django_db


def neighbours_with_data(count):
    neighbours = []
    for number in range(count):
        neighbour = NeighbourFactory(name=f"Assemblée de Ville {number}")
        NeighbourCommonsFactory.create_batch(2, neighbour=neighbour)
        NeighbourMeetingFactory(neighbour=neighbour, title=f"Réunion de Ville {number}")
        NeighbourMeetingFactory(
            neighbour=neighbour,
            title="Plus tard",
            starts_at=timezone.now() + datetime.timedelta(days=40),
        )
        neighbours.append(neighbour)
    return neighbours


@pytest.mark.parametrize("count", [1, 3])
def test_network_page_shows_every_assembly_in_constant_queries(
    client, count, django_assert_num_queries
):
    neighbours_with_data(count)
    client.get("/network/")  # warm the configuration cache

    with django_assert_num_queries(2):
        response = client.get("/network/")

    page = response.content.decode()
    for number in range(count):
        assert f"Assemblée de Ville {number}" in page
        assert f"Réunion de Ville {number}" in page
    assert page.count("2 communs") == count
    assert "Plus tard" not in page


def test_network_page_says_since_when_a_neighbour_fails(client):
    NeighbourFactory(
        name="Assemblée muette",
        failing_since=datetime.datetime(2026, 11, 3, 9, 0, tzinfo=datetime.UTC),
        rejected_items=7,
    )

    page = client.get("/network/").content.decode()

    assert "Assemblée muette" in page
    assert "Injoignable depuis le 3 novembre 2026" in page
    assert "7 éléments de ses flux ont été rejetés" in page


def test_network_page_without_neighbours_says_so(client):
    page = client.get("/network/").content.decode()

    assert "ne suit encore aucune autre assemblée" in page


def test_untrusted_text_is_escaped(client):
    neighbour = NeighbourFactory(name="<script>alert(1)</script>Voisine")
    NeighbourMeetingFactory(neighbour=neighbour, title='<img src=x onerror="alert(2)">')

    page = client.get("/network/").content.decode()
    meetings = client.get("/network/meetings/").content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Voisine" in page
    assert "<img src=x" not in meetings and "&lt;img src=x" in meetings


@pytest.mark.parametrize("count", [1, 3])
def test_merged_geojson_marks_every_feature_with_its_source(
    client, count, django_assert_num_queries
):
    CommonsFactory(name="Notre jardin")
    neighbours_with_data(count)
    AssemblyConfiguration.get()

    with django_assert_num_queries(3):
        response = client.get("/network/export.geojson")

    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    assert len(features) == 1 + 2 * count
    ours = [f for f in features if f["properties"]["source"]["local"]]
    assert [f["properties"]["name"] for f in ours] == ["Notre jardin"]
    assert {f["properties"]["source"]["name"] for f in features if f not in ours} == {
        f"Assemblée de Ville {number}" for number in range(count)
    }
    assert all(f["properties"]["source"]["url"].startswith("http") for f in features)


def test_merged_geojson_filters_by_neighbour_and_can_leave_ours_out(client):
    CommonsFactory(name="Notre jardin")
    first, second = neighbours_with_data(2)
    hidden = NeighbourFactory(name="Cachée", shown=False)
    NeighbourCommonsFactory(neighbour=hidden)

    default = client.get("/network/export.geojson?local=0").json()["features"]
    chosen = client.get(f"/network/export.geojson?local=0&neighbour={second.pk}").json()

    assert {f["properties"]["source"]["name"] for f in default} == {first.name, second.name}
    assert {f["properties"]["source"]["name"] for f in chosen["features"]} == {second.name}
    assert len(chosen["features"]) == 2


def test_geojson_coordinates_are_longitude_first(client):
    NeighbourCommonsFactory(latitude=43.6, longitude=1.44)

    feature = client.get("/network/export.geojson?local=0").json()["features"][0]

    assert feature["geometry"] == {"type": "Point", "coordinates": [1.44, 43.6]}


def test_geojson_coordinates_keep_six_decimal_places(client):
    NeighbourCommonsFactory(latitude=50.92457304103526, longitude=3.6366309447149447)

    body = client.get("/network/export.geojson?local=0").content.decode()

    assert '"coordinates": [3.636631, 50.924573]' in body


@pytest.mark.parametrize("count", [1, 3])
def test_nearby_meetings_lists_upcoming_meetings_in_constant_queries(
    client, count, django_assert_num_queries
):
    neighbours = neighbours_with_data(count)
    NeighbourMeetingFactory(
        neighbour=neighbours[0],
        title="Déjà passée",
        starts_at=timezone.now() - datetime.timedelta(days=3),
    )
    client.get("/network/meetings/")

    with django_assert_num_queries(2):
        partial = client.get("/network/meetings/", headers={"HX-Request": "true"})

    page = partial.content.decode()
    assert "<h1" not in page
    for number in range(count):
        assert f"Réunion de Ville {number}" in page
    assert "Déjà passée" not in page


def test_nearby_meetings_filter_chooses_the_neighbours(client):
    _first, second = neighbours_with_data(2)

    page = client.get(f"/network/meetings/?neighbour={second.pk}").content.decode()

    assert "Réunion de Ville 1" in page and "Réunion de Ville 0" not in page


def test_agenda_has_a_nearby_assemblies_section_that_works_without_javascript(client):
    page = client.get("/meetings/").content.decode()

    assert "Assemblées voisines" in page
    assert 'href="/network/meetings/"' in page


def test_commons_map_offers_the_network_layer_off_by_default(client):
    page = client.get("/commons/map/").content.decode()

    assert 'id="network-layer-toggle"' in page
    assert 'data-url="/network/export.geojson?local=0"' in page
    assert "checked" not in page.split('id="network-layer-toggle"', 1)[1].split(">", 1)[0]


def test_navigation_links_to_the_network(client):
    page = client.get("/").content.decode()

    assert 'href="/network/"' in page
