"""Turning what a neighbour sends into clean rows: every value is untrusted.

Text is reduced to plain text (no markup, no control characters, bounded length) and escaped by the
templates when shown; URLs must be http(s); coordinates must be finite and in range. A feed that is
not a feed at all is refused whole (FeedError); a bad item in a good feed is rejected on its own
and counted, so a thousand bad items never stop the good ones.
"""

import datetime
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import nh3
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar

MAX_ITEMS = 20_000
# Meetings further back than this are of no use to anyone and are not kept.
PAST_MEETINGS = datetime.timedelta(days=31)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class FeedError(Exception):
    """A feed that cannot be read at all; the neighbour keeps its last good copy."""


class InvalidItem(Exception):
    pass


@dataclass
class Parsed:
    items: list[dict] = field(default_factory=list)
    rejected: int = 0


def clean_text(value, limit: int, multiline: bool = False) -> str:
    """Plain text: tags stripped by nh3 (the same sanitiser as our Markdown), entities decoded."""
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise InvalidItem
    text = nh3.clean(str(value), tags=set(), strip_comments=True)
    # nh3 escapes what it keeps; the templates escape again when they show it.
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    text = text.replace("&#39;", "'").replace("&amp;", "&")
    text = unicodedata.normalize("NFC", CONTROL.sub("", text))
    if not multiline:
        text = " ".join(text.split())
    return text.strip()[:limit]


def clean_url(value) -> str:
    """An http(s) URL with a host, or "" for anything else (javascript:, data:, relative…)."""
    if not isinstance(value, str) or len(value) > 500 or CONTROL.search(value) or " " in value:
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return value


def clean_point(latitude, longitude) -> tuple[float | None, float | None]:
    """Finite coordinates in range, or (None, None)."""
    try:
        latitude, longitude = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return None, None
    if isinstance(latitude, bool) or not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None, None
    return latitude, longitude


def load_json(body: bytes):
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise FeedError(_("The answer is not valid JSON.")) from error


def _commons_item(feature) -> dict:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise InvalidItem
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        raise InvalidItem
    source_id = clean_text(feature.get("id", properties.get("slug")), 200)
    name = clean_text(properties.get("name"), 200)
    url = clean_url(properties.get("url"))
    if not source_id or not name or not url:
        raise InvalidItem
    latitude = longitude = None
    geometry = feature.get("geometry")
    if geometry is not None:
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            raise InvalidItem
        coordinates = geometry.get("coordinates")
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            raise InvalidItem
        # GeoJSON: longitude first.
        latitude, longitude = clean_point(coordinates[1], coordinates[0])
        if latitude is None:
            raise InvalidItem
    return {
        "source_id": source_id,
        "name": name,
        "summary": clean_text(properties.get("summary"), 1000),
        "url": url,
        "category": clean_text(properties.get("category"), 120),
        "status": clean_text(properties.get("status"), 40),
        "latitude": latitude,
        "longitude": longitude,
    }


def parse_commons(body: bytes) -> Parsed:
    """A GeoJSON FeatureCollection of commons, as our own export gives it."""
    data = load_json(body)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise FeedError(_("The commons feed is not a GeoJSON FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list):
        raise FeedError(_("The commons feed has no list of features."))
    if len(features) > MAX_ITEMS:
        raise FeedError(_("The commons feed has more than %(count)s items.") % {"count": MAX_ITEMS})
    parsed, seen = Parsed(), set()
    for feature in features:
        try:
            item = _commons_item(feature)
        except (InvalidItem, TypeError, ValueError):
            parsed.rejected += 1
            continue
        if item["source_id"] in seen:
            parsed.rejected += 1
            continue
        seen.add(item["source_id"])
        parsed.items.append(item)
    return parsed


def _moment(value) -> datetime.datetime:
    moment = getattr(value, "dt", None)
    if isinstance(moment, datetime.datetime):
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
    if isinstance(moment, datetime.date):
        return timezone.make_aware(datetime.datetime.combine(moment, datetime.time()))
    raise InvalidItem


def _meeting_item(event) -> dict:
    source_id = clean_text(str(event.get("uid", "")), 255)
    title = clean_text(str(event.get("summary", "")), 200)
    if not source_id or not title:
        raise InvalidItem
    starts_at = _moment(event.get("dtstart"))
    ends_at = _moment(event.get("dtend")) if event.get("dtend") else starts_at
    if ends_at < starts_at:
        raise InvalidItem
    url = ""
    if event.get("url"):
        url = clean_url(str(event.get("url")))
        if not url:
            raise InvalidItem
    return {
        "source_id": source_id,
        "title": title,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "location": clean_text(str(event.get("location", "")), 300),
        "url": url,
        "cancelled": str(event.get("status", "")).upper() == "CANCELLED",
    }


def parse_calendar(body: bytes, now: datetime.datetime) -> Parsed:
    """The meetings of a public iCalendar feed that have not long ended."""
    try:
        calendar = Calendar.from_ical(body)
    except (ValueError, IndexError, KeyError, UnicodeDecodeError) as error:
        raise FeedError(_("The calendar feed is not valid iCalendar.")) from error
    events = calendar.walk("VEVENT")
    if len(events) > MAX_ITEMS:
        raise FeedError(_("The calendar has more than %(count)s events.") % {"count": MAX_ITEMS})
    parsed, seen = Parsed(), set()
    for event in events:
        try:
            item = _meeting_item(event)
        except (InvalidItem, TypeError, ValueError, OverflowError):
            parsed.rejected += 1
            continue
        if item["ends_at"] < now - PAST_MEETINGS:
            continue
        if item["source_id"] in seen:
            parsed.rejected += 1
            continue
        seen.add(item["source_id"])
        parsed.items.append(item)
    return parsed
