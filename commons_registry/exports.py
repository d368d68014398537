"""The directory as open data: GeoJSON (RFC 7946) and CSV, built from a filtered QuerySet."""

import csv
import io

from django.urls import reverse

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
# A slug that never occurs: its place in the reversed entry URL is where each slug goes.
_SLUG_PLACEHOLDER = "slug-placeholder"


def exported(queryset):
    """Only published entries ever leave the site, whatever the caller filtered."""
    return queryset.published().select_related("category").order_by("name", "pk")


def geojson_feature(commons: Commons, url: str, status_label: str | None = None) -> dict:
    geometry = None
    if commons.has_location:
        # RFC 7946 §3.1.1: longitude first, then latitude.
        geometry = {
            "type": "Point",
            "coordinates": [float(commons.longitude), float(commons.latitude)],
        }
    return {
        "type": "Feature",
        "id": commons.slug,
        "geometry": geometry,
        "properties": {
            "name": commons.name,
            "slug": commons.slug,
            "url": url,
            "category": commons.category.name,
            "category_slug": commons.category.slug,
            "colour": commons.category.colour,
            "status": commons.status,
            "status_label": status_label or str(commons.get_status_display()),
            "summary": commons.summary,
        },
    }


def geojson_collection(queryset, absolute_url) -> dict:
    """A FeatureCollection; absolute_url turns a path into a full URL.

    The map loads every entry at once (1,000 in the benchmark's data), so the entry URL is
    reversed once, not once per entry: per entry, reverse() and build_absolute_uri() cost more
    than everything else together; so do the translated status labels.
    """
    url = absolute_url(reverse("commons:detail", kwargs={"slug": _SLUG_PLACEHOLDER}))
    before, after = url.split(_SLUG_PLACEHOLDER)
    status_labels = {value: str(label) for value, label in Commons.Status.choices}
    return {
        "type": "FeatureCollection",
        "features": [
            geojson_feature(
                commons, f"{before}{commons.slug}{after}", status_labels.get(commons.status)
            )
            for commons in exported(queryset).only(*GEOJSON_FIELDS)
        ],
    }


def csv_text(queryset, absolute_url) -> str:
    """UTF-8 CSV with a byte-order mark, so that spreadsheets read the accents right."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for commons in exported(queryset):
        writer.writerow([
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
        ])  # fmt: skip
    return buffer.getvalue()
