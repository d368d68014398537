"""Demo neighbours: Valenbrune, a fictional assembly whose last good copy comes from fixtures.

Its address does not exist, so `make run` shows the network layer without any network, and its
refreshes fail the way a real neighbour's outage does (the copy stays). `--scale large` adds the
benchmark's five neighbours of 1,000 commons each. It also turns the fediverse actor on.
Safe to run twice.
"""

import datetime
import json
import random
from pathlib import Path

from django.utils import timezone

from . import discovery, parsing, publishing, services
from .models import Neighbour, Publication

FIXTURES = Path(__file__).parent / "fixtures" / "demo_neighbour"
LARGE_NEIGHBOURS = 5
LARGE_COMMONS = 1000


def _last_thursdays(now: datetime.datetime, count: int) -> list[datetime.date]:
    days, year, month = [], now.year, now.month
    while len(days) < count:
        first_of_next = datetime.date(year + month // 12, month % 12 + 1, 1)
        last = first_of_next - datetime.timedelta(days=1)
        last -= datetime.timedelta(days=(last.weekday() - 3) % 7)
        if last >= now.date():
            days.append(last)
        year, month = year + month // 12, month % 12 + 1
    return days


def _meetings(base_url: str, now: datetime.datetime) -> list[dict]:
    items = []
    for number, day in enumerate(_last_thursdays(now, 3)):
        hour = 18 if number % 2 == 0 else 12
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        items.append(
            {
                "source_id": f"meeting-{day:%Y%m}@{base_url.split('//', 1)[1]}",
                "title": f"Assemblée des communs ({day:%d/%m})",
                "starts_at": starts_at,
                "ends_at": starts_at + datetime.timedelta(hours=3),
                "location": "Tiers-lieu La Filature, Valenbrune",
                "url": f"{base_url}/meetings/",
                "cancelled": False,
            }
        )
    return items


def _neighbour(base_url: str, profile: dict) -> Neighbour:
    neighbour, _created = Neighbour.objects.update_or_create(base_url=base_url, defaults=profile)
    return neighbour


def seed(scale: str, stdout) -> None:
    now = timezone.now()
    document = json.loads((FIXTURES / "assemblee.json").read_text())
    profile = discovery.read_document(document)
    base_url = document["url"].rstrip("/")
    neighbour = _neighbour(base_url, {**profile, "last_success_at": now})
    parsed = parsing.parse_commons((FIXTURES / "commons.geojson").read_bytes())
    services.store_commons(neighbour, parsed.items)
    services.store_meetings(neighbour, _meetings(base_url, now))
    if scale == "large":
        _seed_large(now, profile)
    stdout.write(f"Neighbours: {Neighbour.objects.count()} followed (Valenbrune from fixtures)")
    # The fediverse is off by default; the demo turns it on, so that `make run` shows it.
    publication = publishing.configure(True, Publication.get().handle)
    stdout.write(f"Fediverse: on, followed as @{publication.handle}")


def _seed_large(now, profile) -> None:
    rng = random.Random(16)  # noqa: S311 - demo data, not security
    for number in range(1, LARGE_NEIGHBOURS + 1):
        base_url = f"https://voisine-{number}.example.org"
        latitude, longitude = 50.2 + number * 0.15, 2.6 + number * 0.2
        neighbour = _neighbour(
            base_url,
            {
                **profile,
                "name": f"Assemblée voisine n° {number}",
                "city": f"Voisine {number}",
                "latitude": latitude,
                "longitude": longitude,
                "commons_feed_url": f"{base_url}/commons/export.geojson",
                "calendar_feed_url": f"{base_url}/calendar.ics",
                "last_success_at": now,
            },
        )
        services.store_commons(
            neighbour,
            [
                {
                    "source_id": f"commun-{index}",
                    "name": f"Commun voisin {number}-{index}",
                    "summary": "Un commun d'une assemblée voisine.",
                    "url": f"{base_url}/commons/commun-{index}/",
                    "category": "Savoirs et outils",
                    "status": "active",
                    "latitude": latitude + rng.uniform(-0.05, 0.05),
                    "longitude": longitude + rng.uniform(-0.05, 0.05),
                }
                for index in range(LARGE_COMMONS)
            ],
        )
        services.store_meetings(neighbour, _meetings(base_url, now))
