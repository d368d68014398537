"""Our discovery document: valid against the schema of docs/federation.md, cached with an ETag."""

import json
import re
from pathlib import Path

import jsonschema
import pytest

from assembly.models import AssemblyConfiguration
from federation import discovery
from tests.commons_registry.factories import CommonsFactory

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((Path(__file__).parent / "assemblee.schema.json").read_text())

pytestmark = pytest.mark.django_db


def test_the_schema_copy_is_the_one_in_the_documentation():
    docs = (ROOT / "docs" / "federation.md").read_text()
    section = docs.split("### JSON Schema", 1)[1]
    block = re.search(r"```json\n(.*?)\n```", section, flags=re.DOTALL).group(1)

    assert json.loads(block) == SCHEMA
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_discovery_document_validates_and_names_our_feeds(client):
    config = AssemblyConfiguration.get()
    config.name, config.city, config.tagline = "Assemblée de Lillebonne", "Lillebonne", "Ensemble"
    config.save()
    CommonsFactory(latitude=50.6, longitude=3.0)
    CommonsFactory(latitude=50.7, longitude=3.2)

    response = client.get("/.well-known/assemblee.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert document["name"] == "Assemblée de Lillebonne"
    assert document["city"] == "Lillebonne"
    assert document["centre"] == {"latitude": 50.65, "longitude": 3.1}
    assert document["software"]["name"] == "Assemblée"
    assert document["feeds"] == {
        "commons": "http://testserver/commons/export.geojson",
        "calendar": "http://testserver/calendar.ics",
        "agenda": "http://testserver/feeds/agenda.atom",
        "decisions": "http://testserver/feeds/decisions.atom",
    }
    assert "public" in response["Cache-Control"]


def test_discovery_document_without_mapped_commons_has_no_centre(client):
    document = client.get("/.well-known/assemblee.json").json()

    jsonschema.validate(document, SCHEMA)
    assert document["centre"] is None


def test_discovery_document_answers_304_while_unchanged_and_a_new_etag_after(client):
    first = client.get("/.well-known/assemblee.json")

    again = client.get("/.well-known/assemblee.json", headers={"If-None-Match": first["ETag"]})
    config = AssemblyConfiguration.get()
    config.name = "Assemblée renommée"
    config.save()
    changed = client.get("/.well-known/assemblee.json", headers={"If-None-Match": first["ETag"]})

    assert first["ETag"]
    assert again.status_code == 304
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_discovery_document_costs_two_queries(client, django_assert_num_queries):
    AssemblyConfiguration.get()
    CommonsFactory(latitude=50.6, longitude=3.0)

    with django_assert_num_queries(2):
        client.get("/.well-known/assemblee.json")


def test_our_document_reads_back_as_a_neighbours(client):
    document = client.get("/.well-known/assemblee.json").json()

    profile = discovery.read_document(document)

    assert profile["commons_feed_url"] == "http://testserver/commons/export.geojson"
    assert profile["calendar_feed_url"] == "http://testserver/calendar.ics"
