"""A commons as schema.org JSON-LD: a Place when it has one on the map, an Organization otherwise
(a purely digital commons). Built from the entry its page loaded (with its category)."""

from assembly.addresses import split_address

SCHEMA = "https://schema.org"


def commons_entity(commons, absolute) -> dict:
    entity = {
        "@context": SCHEMA,
        "@type": "Place" if commons.has_location else "Organization",
        "name": commons.name,
        "description": commons.summary,
        "url": absolute(commons.get_absolute_url()),
    }
    if commons.website:
        entity["sameAs"] = commons.website
    if commons.category_id:
        entity["keywords"] = commons.category.name
    if commons.address:
        entity["address"] = {"@type": "PostalAddress", **split_address(commons.address)}
    if commons.has_location:
        entity["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(commons.latitude),
            "longitude": float(commons.longitude),
        }
    if commons.founded_year:
        entity["foundingDate"] = str(commons.founded_year)
    return entity
