import csv
import io
import json
from decimal import Decimal

import pytest

from commons_registry.exports import CSV_COLUMNS
from commons_registry.models import Commons
from tests.commons_registry.factories import CommonsFactory, category


@pytest.mark.django_db
def test_geojson_is_an_rfc7946_feature_collection(client):
    CommonsFactory(name="Fournil", latitude=Decimal("50.631234"), longitude=Decimal("3.057654"))
    CommonsFactory(name="Wiki", latitude=None, longitude=None)
    response = client.get("/commons/export.geojson")
    data = json.loads(response.content)
    assert response["Content-Type"] == "application/geo+json"
    assert data["type"] == "FeatureCollection"
    fournil, wiki = data["features"]
    assert fournil["type"] == "Feature"
    # Longitude first, then latitude.
    assert fournil["geometry"] == {"type": "Point", "coordinates": [3.057654, 50.631234]}
    assert wiki["geometry"] is None
    assert set(fournil["properties"]) >= {"name", "slug", "url", "category", "status", "summary"}
    assert fournil["properties"]["url"] == "http://testserver/commons/fournil/"
    assert fournil["properties"]["category"] == "Jardins & alimentation"


@pytest.mark.django_db
def test_geojson_never_shows_unpublished(client):
    CommonsFactory(name="Proposé", state=Commons.State.PROPOSED)
    CommonsFactory(name="Refusé", state=Commons.State.REJECTED, moderation_reason="Non")
    assert client.get("/commons/export.geojson").json()["features"] == []


@pytest.mark.django_db
def test_exports_honour_directory_filters(client):
    CommonsFactory(name="Potager")
    CommonsFactory(name="Logiciel", category=category("logiciel-libre-numerique"))
    geojson = client.get("/commons/export.geojson", {"category": "logiciel-libre-numerique"})
    assert [f["properties"]["name"] for f in geojson.json()["features"]] == ["Logiciel"]
    text = client.get("/commons/export.csv", {"q": "potager"}).content.decode("utf-8-sig")
    assert [row["name"] for row in csv.DictReader(io.StringIO(text))] == ["Potager"]


@pytest.mark.django_db
def test_csv_is_utf8_with_bom_and_fixed_columns(client):
    CommonsFactory(name="Épicerie coopérative", summary="Des produits locaux, en vrac.")
    CommonsFactory(name="Brouillon", state=Commons.State.PROPOSED)
    response = client.get("/commons/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == CSV_COLUMNS
    assert rows[0][:6] == ["name", "slug", "url", "category", "status", "summary"]
    assert len(rows) == 2
    assert rows[1][0] == "Épicerie coopérative"
    assert rows[1][7:9] == ["50.630000", "3.060000"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 200])
def test_csv_query_count_constant(client, django_assert_num_queries, count):
    CommonsFactory.create_batch(count)
    with django_assert_num_queries(1):
        response = client.get("/commons/export.csv")
    assert response.content.decode("utf-8-sig").count("\n") == count + 1


@pytest.mark.django_db
def test_geojson_features_carry_their_own_url_and_translated_status(client):
    CommonsFactory(name="Fournil", status=Commons.Status.ACTIVE)
    CommonsFactory(name="Atelier vélo", status=Commons.Status.DORMANT)

    features = client.get("/commons/export.geojson").json()["features"]

    assert [
        (f["properties"]["url"], f["properties"]["status"], f["properties"]["status_label"])
        for f in features
    ] == [
        ("http://testserver/commons/atelier-velo/", "dormant", "en sommeil"),
        ("http://testserver/commons/fournil/", "active", "actif"),
    ]


@pytest.mark.django_db
def test_csv_text_never_starts_a_spreadsheet_formula(client):
    CommonsFactory(
        name='=HYPERLINK("https://evil.example";"Cliquez")',
        summary="+33 3 20 00 00 00",
        resource="- des parcelles\n- des outils",
        licence="@SUM(1)",
        latitude=Decimal("-12.5"),
        longitude=Decimal("-1.25"),
    )
    rows = list(
        csv.DictReader(io.StringIO(client.get("/commons/export.csv").content.decode("utf-8-sig")))
    )
    row = rows[0]
    assert row["name"] == '\'=HYPERLINK("https://evil.example";"Cliquez")'
    assert row["summary"] == "'+33 3 20 00 00 00"
    assert row["resource"] == "'- des parcelles\n- des outils"
    assert row["licence"] == "'@SUM(1)"
    # Numbers stay numbers: a negative coordinate is not text.
    assert (row["latitude"], row["longitude"]) == ("-12.500000", "-1.250000")
