"""Untrusted feeds: plain text, http(s) URLs, coordinates in range, bad items counted one by one."""

import datetime
import json

import pytest

from federation import parsing

NOW = datetime.datetime(2027, 1, 15, tzinfo=datetime.UTC)


def feature(**properties):
    geometry = properties.pop("geometry", {"type": "Point", "coordinates": [3.06, 50.63]})
    return {
        "type": "Feature",
        "id": properties.pop("id", "jardin"),
        "geometry": geometry,
        "properties": {
            "name": "Jardin",
            "url": "https://voisine.example.org/c/jardin/",
            **properties,
        },
    }


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def test_markup_and_control_characters_become_plain_text():
    name = "<b>Jardin</b> <script>alert(1)</script>\x00des &amp; Tilleuls"
    summary = "<img src=x onerror=alert(1)>Un jardin"

    parsed = parsing.parse_commons(collection(feature(name=name, summary=summary)))

    assert parsed.items[0]["name"] == "Jardin des & Tilleuls"
    assert parsed.items[0]["summary"] == "Un jardin"


@pytest.mark.parametrize(
    "bad",
    [
        {"url": "javascript:alert(1)"},
        {"url": "data:text/html,hi"},
        {"url": "/relative/"},
        {"name": ""},
        {"name": {"nested": "object"}},
        {"geometry": {"type": "Point", "coordinates": [3.0, 95.0]}},
        {"geometry": {"type": "Point", "coordinates": [181.0, 50.0]}},
        {"geometry": {"type": "Point", "coordinates": ["NaN", 50.0]}},
        {"geometry": {"type": "Point", "coordinates": [1e400, 50.0]}},
        {"geometry": {"type": "Polygon", "coordinates": []}},
        {"geometry": "here"},
    ],
)
def test_a_bad_item_is_rejected_alone(bad):
    good = feature(id="good")
    parsed = parsing.parse_commons(collection(good, feature(id="bad", **bad)))

    assert [item["source_id"] for item in parsed.items] == ["good"]
    assert parsed.rejected == 1


def test_a_thousand_bad_items_are_counted_and_the_good_ones_kept():
    bad = [{"type": "Feature", "id": n, "properties": "nope"} for n in range(1000)]

    parsed = parsing.parse_commons(collection(*bad, feature(id="good")))

    assert (len(parsed.items), parsed.rejected) == (1, 1000)


def test_a_duplicate_id_is_rejected():
    parsed = parsing.parse_commons(collection(feature(id="a"), feature(id="a", name="Autre")))

    assert [item["name"] for item in parsed.items] == ["Jardin"]
    assert parsed.rejected == 1


@pytest.mark.parametrize(
    "body", [b"", b"\xff\xfe", b"[", b"[]", b'{"type": "FeatureCollection"}', b"9" * 100]
)
def test_what_is_not_a_feature_collection_is_refused_whole(body):
    with pytest.raises(parsing.FeedError):
        parsing.parse_commons(body)


def test_calendar_keeps_valid_recent_events_and_counts_bad_ones():
    body = "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x",
        "BEGIN:VEVENT", "UID:a", "SUMMARY:<b>Assemblée</b>", "DTSTART:20270128T170000Z",
        "DTEND:20270128T200000Z", "URL:https://voisine.example.org/m/1/", "END:VEVENT",
        "BEGIN:VEVENT", "UID:b", "SUMMARY:Piège", "DTSTART:20270128T170000Z",
        "URL:javascript:alert(1)", "END:VEVENT",
        "BEGIN:VEVENT", "UID:c", "SUMMARY:À l'envers", "DTSTART:20270128T170000Z",
        "DTEND:20270127T170000Z", "END:VEVENT",
        "BEGIN:VEVENT", "UID:d", "SUMMARY:Il y a longtemps", "DTSTART:20200101T170000Z",
        "DTEND:20200101T200000Z", "END:VEVENT",
        "BEGIN:VEVENT", "UID:e", "SUMMARY:Toute la journée", "DTSTART;VALUE=DATE:20270205",
        "STATUS:CANCELLED", "END:VEVENT",
        "END:VCALENDAR", "",
    ]).encode()  # fmt: skip

    parsed = parsing.parse_calendar(body, NOW)

    assert [(item["source_id"], item["title"]) for item in parsed.items] == [
        ("a", "Assemblée"), ("e", "Toute la journée"),
    ]  # fmt: skip
    assert parsed.items[1]["cancelled"] is True
    assert parsed.rejected == 2


@pytest.mark.parametrize("body", [b"not a calendar", b"BEGIN:VCALENDAR\r\nnonsense"])
def test_what_is_not_a_calendar_is_refused_whole(body):
    with pytest.raises(parsing.FeedError):
        parsing.parse_calendar(body, NOW)
