"""/commons/export.gogocarto.json: the directory in GoGoCarto's format, for Transiscope."""

import pytest
from django.urls import reverse

from commons_registry.models import Commons
from tests.commons_registry.factories import CommonsFactory

pytestmark = pytest.mark.django_db


def test_export_wraps_elements_in_gogocarto_document(client):
    commons = CommonsFactory(
        name="Jardin des Tisserands", address="12 rue des Tisserands, 59000 Lille",
        latitude=50.63, longitude=3.06, website="https://jardin.example",
        contact_email="jardin@example.org",
    )  # fmt: skip

    document = client.get(reverse("commons:export-gogocarto")).json()

    assert document["ontology"] == "gogofull"
    assert document["licence"].startswith("https://opendatacommons.org/")
    [element] = document["data"]
    assert element["id"] == commons.slug
    assert element["name"] == "Jardin des Tisserands"
    assert element["geo"] == {"latitude": 50.63, "longitude": 3.06}
    assert element["address"]["streetAddress"] == "12 rue des Tisserands"
    assert element["address"]["postalCode"] == "59000"
    assert element["address"]["addressLocality"] == "Lille"
    assert element["categories"] == [commons.category.name, "Lieu"]
    assert element["description"] == commons.summary
    assert element["website"] == "https://jardin.example"
    assert element["email"] == "jardin@example.org"


def test_export_leaves_out_unpublished_and_empty_email(client):
    CommonsFactory(name="Proposé", state=Commons.State.PROPOSED, contact_email="x@example.org")
    CommonsFactory(name="Wiki", latitude=None, longitude=None, contact_email="")

    data = client.get(reverse("commons:export-gogocarto")).json()["data"]

    assert [element["name"] for element in data] == ["Wiki"]
    assert "email" not in data[0] and "geo" not in data[0]
    assert data[0]["categories"][1] == "Organisation"


def test_export_follows_directory_filters(client):
    CommonsFactory(name="Actif", status=Commons.Status.ACTIVE)
    CommonsFactory(name="En sommeil", status=Commons.Status.DORMANT)

    data = client.get(reverse("commons:export-gogocarto"), {"status": "dormant"}).json()["data"]

    assert [element["name"] for element in data] == ["En sommeil"]


@pytest.mark.parametrize("count", [1, 5])
def test_export_query_count_constant(client, django_assert_num_queries, count):
    CommonsFactory.create_batch(count)

    with django_assert_num_queries(1):
        client.get(reverse("commons:export-gogocarto"))
