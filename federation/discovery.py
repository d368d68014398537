"""Our discovery document (/.well-known/assemblee.json), and the reading of a neighbour's.

The format and its JSON Schema are in docs/federation.md. To publish another feed, add one line to
FEEDS: its name in the document and the URL name of the view that serves it.
"""

from importlib.metadata import PackageNotFoundError, version

from django.conf import settings
from django.db.models import Avg
from django.urls import reverse
from django.utils.translation import gettext as _

from assembly.models import AssemblyConfiguration
from commons_registry.models import Commons

from . import parsing

FORMAT_VERSION = "1"
SOFTWARE_NAME = "Assemblée"
DISCOVERY_PATH = "/.well-known/assemblee.json"

# Feed name in the document -> URL name of the view serving it.
FEEDS = {
    "commons": "commons:export-geojson",
    "calendar": "calendar:public",
    "agenda": "feeds:agenda",
    "decisions": "feeds:decisions",
}


class InvalidDocument(Exception):
    """A neighbour's discovery document we cannot use; the message says why."""


def software_version() -> str:
    try:
        return version("assemblee")
    except PackageNotFoundError:
        return "unknown"


def centre() -> dict | None:
    """The middle of our mapped commons: where a regional map puts this assembly."""
    middle = Commons.objects.published().aggregate(
        latitude=Avg("latitude"), longitude=Avg("longitude")
    )
    if middle["latitude"] is None or middle["longitude"] is None:
        return None
    return {
        "latitude": round(float(middle["latitude"]), 5),
        "longitude": round(float(middle["longitude"]), 5),
    }


def build_document(absolute_url) -> dict:
    """What this assembly publishes about itself; absolute_url turns a path into a full URL."""
    config = AssemblyConfiguration.get()
    return {
        "assemblee": FORMAT_VERSION,
        "name": config.name,
        "city": config.city,
        "description": config.tagline,
        "languages": [code for code, _name in settings.LANGUAGES],
        "centre": centre(),
        "url": absolute_url(reverse("home")),
        "software": {"name": SOFTWARE_NAME, "version": software_version()},
        "feeds": {name: absolute_url(reverse(url_name)) for name, url_name in FEEDS.items()},
    }


def discovery_url(base_url: str) -> str:
    return base_url.rstrip("/") + DISCOVERY_PATH


def read_document(data) -> dict:
    """The fields we keep from a neighbour's document, cleaned; InvalidDocument if unusable."""
    if not isinstance(data, dict):
        raise InvalidDocument(_("The discovery document is not a JSON object."))
    if data.get("assemblee") != FORMAT_VERSION:
        raise InvalidDocument(_("The discovery document is not in Assemblée's format, version 1."))
    name = parsing.clean_text(data.get("name"), 200)
    if not name:
        raise InvalidDocument(_("The discovery document has no name."))
    feeds = data.get("feeds")
    if not isinstance(feeds, dict):
        raise InvalidDocument(_("The discovery document lists no feeds."))
    feed_urls = {}
    for key in ("commons", "calendar"):
        if feeds.get(key) is None:
            feed_urls[key] = ""
            continue
        feed_urls[key] = parsing.clean_url(feeds.get(key))
        if not feed_urls[key]:
            raise InvalidDocument(
                _("The %(feed)s feed's address is not an http(s) address.") % {"feed": key}
            )
    software = data.get("software") if isinstance(data.get("software"), dict) else {}
    latitude = longitude = None
    middle = data.get("centre")
    if middle is not None:
        if not isinstance(middle, dict):
            raise InvalidDocument(_("The centre point is not a latitude and a longitude."))
        latitude, longitude = parsing.clean_point(middle.get("latitude"), middle.get("longitude"))
        if latitude is None:
            raise InvalidDocument(_("The centre point is out of range."))
    languages = data.get("languages") if isinstance(data.get("languages"), list) else []
    return {
        "name": name,
        "city": parsing.clean_text(data.get("city"), 120),
        "description": parsing.clean_text(data.get("description"), 2000, multiline=True),
        "languages": [
            parsing.clean_text(code, 16) for code in languages[:20] if isinstance(code, str)
        ],
        "latitude": latitude,
        "longitude": longitude,
        "software": " ".join(
            part
            for part in (
                parsing.clean_text(software.get("name"), 60),
                parsing.clean_text(software.get("version"), 40),
            )
            if part
        ),
        "commons_feed_url": feed_urls["commons"],
        "calendar_feed_url": feed_urls["calendar"],
    }
