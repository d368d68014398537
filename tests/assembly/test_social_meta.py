"""Rich links and structured data: OpenGraph and Twitter cards on public pages, schema.org
JSON-LD on meeting, workshop and commons pages, expanded by a JSON-LD processor (PyLD).

There is no network here, so "https://schema.org" resolves to a copy in tests/fixtures: the
terms of schema.org's own context that our documents use (its @vocab and the IRI-typed
properties), not the whole 900-term file.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template import Context
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from pyld import jsonld

from assembly.templatetags.social import _TAGS, social_meta
from tests.commons_registry.factories import CommonsFactory
from tests.workshops.factories import MeetingFactory, VenueFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

SCHEMA = "http://schema.org/"
CONTEXT = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "schemaorg-context.jsonld").read_text()
)


def _loader(url, options=None):
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise jsonld.JsonLdError("no network in the tests", "loading document failed", {"url": url})


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.found[attrs.get("property") or attrs.get("name")] = attrs.get("content")


def meta_of(html: str) -> dict:
    parser = _Meta()
    parser.feed(html)
    return parser.found


def expanded_of(html: str) -> list:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return jsonld.expand(json.loads(blocks[0]), {"documentLoader": _loader})


def _value(node, term):
    return node[SCHEMA + term][0].get("@value", node[SCHEMA + term][0].get("@id"))


@pytest.mark.parametrize("path", ["/", "/commons/", "/meetings/", "/decisions/", "/charter/"])
def test_public_page_has_opengraph_and_twitter_card(client, path):
    meta = meta_of(client.get(path).content.decode())

    assert meta["og:image"].startswith("http://testserver/") and meta["og:image"].endswith(".png")
    assert meta["og:url"] == f"http://testserver{path}"
    assert meta["og:locale"] == "fr_FR"
    assert meta["og:title"] and meta["og:description"]
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]


def test_og_image_is_a_png_file():
    path = finders.find("og-image.png")

    assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_meeting_page_carries_event_jsonld(client):
    venue = VenueFactory(
        name="La Filature",
        address="12 rue des Tisserands, 59000 Lille",
        latitude=50.63,
        longitude=3.06,
    )
    meeting = MeetingFactory(title="Assemblée <script>", venue=venue)

    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()

    assert '<script>"' not in html and "Assemblée \\u003Cscript\\u003E" in html
    assert meta_of(html)["og:title"] == "Assemblée <script>"
    [event] = expanded_of(html)
    assert event["@type"] == [SCHEMA + "Event"]
    assert _value(event, "name") == "Assemblée <script>"
    assert _value(event, "eventStatus") == "https://schema.org/EventScheduled"
    assert _value(event, "eventAttendanceMode") == "https://schema.org/OfflineEventAttendanceMode"
    assert _value(event, "isAccessibleForFree") is True
    assert _value(event, "url") == f"http://testserver/meetings/{meeting.pk}/"
    assert event[SCHEMA + "startDate"][0]["@type"] == SCHEMA + "DateTime"
    assert event[SCHEMA + "organizer"][0]["@type"] == [SCHEMA + "Organization"]
    [place] = event[SCHEMA + "location"]
    assert place["@type"] == [SCHEMA + "Place"]
    [address] = place[SCHEMA + "address"]
    assert address["@type"] == [SCHEMA + "PostalAddress"]
    assert (_value(address, "postalCode"), _value(address, "addressLocality")) == ("59000", "Lille")
    assert _value(place[SCHEMA + "geo"][0], "latitude") == 50.63


def test_workshop_page_carries_event_jsonld(client):
    workshop = WorkshopFactory(title="Initiation aux communs")

    html = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()

    [event] = expanded_of(html)
    assert event["@type"] == [SCHEMA + "Event"]
    assert _value(event, "name") == "Initiation aux communs"
    assert event[SCHEMA + "superEvent"][0]["@type"] == [SCHEMA + "Event"]


@pytest.mark.parametrize(
    ("coordinates", "kind"), [((50.63, 3.06), "Place"), ((None, None), "Organization")]
)
def test_commons_page_carries_place_or_organization_jsonld(client, coordinates, kind):
    commons = CommonsFactory(
        latitude=coordinates[0], longitude=coordinates[1], address="3 place du Marché, 59800 Lille"
    )

    html = client.get(reverse("commons:detail", args=[commons.slug])).content.decode()

    [entity] = expanded_of(html)
    assert entity["@type"] == [SCHEMA + kind]
    assert _value(entity, "name") == commons.name
    assert _value(entity[SCHEMA + "address"][0], "postalCode") == "59800"
    assert (SCHEMA + "geo" in entity) is (kind == "Place")


def test_the_tags_escape_what_people_wrote_as_format_html_did():
    request = RequestFactory().get("/commons/jardin/")
    hostile = "<script>alert(\"x\")</script> & 'co'"
    safe = mark_safe("<em>déjà sûr</em>")
    context = Context({"request": request, "assembly": None, "LANGUAGE_CODE": "en"})
    written = social_meta(context, title=hostile, description=safe)
    assert "<script>" not in written and "&lt;script&gt;alert(&quot;x&quot;)" in written
    assert "&#x27;co&#x27;" in written and "<em>déjà sûr</em>" in written
    assert written == format_html(
        _TAGS,
        description=safe,
        site="Assemblée",
        title=hostile,
        url="http://testserver/commons/jardin/",
        image="http://testserver/static/og-image.png",
        locale="en_GB",
    )
