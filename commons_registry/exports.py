"""The directory as open data: GeoJSON (RFC 7946) and CSV, built from a filtered QuerySet."""

import io

from django.urls import reverse

from assembly.domain import SpreadsheetWriter

from .models import Commons

CSV_COLUMNS = [
    "name", "slug", "url", "category", "status", "summary", "address", "latitude", "longitude",
    "website", "contact_email", "licence", "founded_year", "resource", "community", "governance",
    "external_id", "last_confirmed_at", "description",
]  # fmt: skip
# What a map feature shows: the long texts (resource, community, governance…) stay in the database.
GEOJSON_FIELDS = [
    "name", "slug", "latitude", "longitude", "status", "summary",
    "category__name", "category__slug", "category__colour",
]  # fmt: skip
# Every cell that looks like a formula is written after an apostrophe (assembly.domain's
# SpreadsheetWriter); the import takes the apostrophe off again, so an export imports back unchanged.
# A slug that never occurs: its place in the reversed entry URL is where each slug goes.
_SLUG_PLACEHOLDER = "slug-placeholder"


def exported(queryset):
    """Only published entries ever leave the site, whatever the caller filtered."""
    return queryset.published().select_related("category").order_by("name", "pk")


def geojson_feature(row: dict, url: str, status_label: str) -> dict:
    """One entry as a Feature, from a row of GEOJSON_FIELDS values."""
    geometry = None
    if row["latitude"] is not None and row["longitude"] is not None:
        # RFC 7946 §3.1.1: longitude first, then latitude.
        geometry = {
            "type": "Point",
            "coordinates": [float(row["longitude"]), float(row["latitude"])],
        }
    return {
        "type": "Feature",
        "id": row["slug"],
        "geometry": geometry,
        "properties": {
            "name": row["name"],
            "slug": row["slug"],
            "url": url,
            "category": row["category__name"],
            "category_slug": row["category__slug"],
            "colour": row["category__colour"],
            "status": row["status"],
            "status_label": status_label,
            "summary": row["summary"],
        },
    }


def geojson_collection(queryset, absolute_url) -> dict:
    """A FeatureCollection; absolute_url turns a path into a full URL.

    The map loads every entry at once (1,000 in the benchmark's data), so each one costs as
    little as it can: plain values rather than model instances, and the entry URL and the
    translated status labels worked out once rather than per entry (per entry, reverse() and the
    model instances were most of the response's cost).
    """
    url = absolute_url(reverse("commons:detail", kwargs={"slug": _SLUG_PLACEHOLDER}))
    before, after = url.split(_SLUG_PLACEHOLDER)
    status_labels = {value: str(label) for value, label in Commons.Status.choices}
    return {
        "type": "FeatureCollection",
        "features": [
            geojson_feature(
                row,
                f"{before}{row['slug']}{after}",
                status_labels.get(row["status"], row["status"]),
            )
            for row in exported(queryset).values(*GEOJSON_FIELDS)
        ],
    }


def csv_text(queryset, absolute_url) -> str:
    """UTF-8 CSV with a byte-order mark, so that spreadsheets read the accents right."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = SpreadsheetWriter(buffer)
    writer.writerow(CSV_COLUMNS)
    for commons in exported(queryset):
        row = [
            commons.name,
            commons.slug,
            absolute_url(commons.get_absolute_url()),
            commons.category.slug,
            commons.status,
            commons.summary,
            commons.address,
            "" if commons.latitude is None else str(commons.latitude),
            "" if commons.longitude is None else str(commons.longitude),
            commons.website,
            commons.contact_email,
            commons.licence,
            "" if commons.founded_year is None else commons.founded_year,
            commons.resource,
            commons.community,
            commons.governance,
            commons.external_id or "",
            commons.last_confirmed_at.isoformat() if commons.last_confirmed_at else "",
            commons.description,
        ]  # fmt: skip
        writer.writerow(row)
    return buffer.getvalue()
