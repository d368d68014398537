"""The demo is one coherent town: every place seed_demo creates lies in Lille, and its content
comes from data files beside each app's seeder."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from assembly.demo import TOWN, content, distance_from_centre_km
from assembly.models import AssemblyConfiguration
from commons_registry import demo as commons_demo
from commons_registry.models import Commons
from workshops.models import Rhythm, Venue

ROOT = Path(__file__).resolve().parents[2]
# Lille proper spans about 5 km from the Grand-Place; 15 km keeps the metropolis, not Lillebonne.
RADIUS_KM = 15


def test_distance_from_centre_is_the_great_circle_distance():
    assert distance_from_centre_km(*TOWN["centre"]) == 0
    # Roubaix's town hall, about 10 km north-east of Lille's Grand-Place.
    assert 9.5 < distance_from_centre_km(50.6916, 3.1747) < 10.5
    # Lillebonne, in Normandy, where the venues used to be.
    assert distance_from_centre_km(49.5203, 0.5356) > 150


@pytest.mark.django_db
def test_every_demo_venue_and_commons_lies_in_the_town():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    commons_demo.seed("large", io.StringIO())  # the benchmark's extra entries too

    places = [
        (f"venue {venue.name}", venue.latitude, venue.longitude) for venue in Venue.objects.all()
    ] + [
        (f"commons {commons.slug}", commons.latitude, commons.longitude)
        for commons in Commons.objects.exclude(latitude=None)
    ]

    assert len(places) > 800  # four in five of the large entries have coordinates
    far = {
        name: round(distance_from_centre_km(float(latitude), float(longitude)), 1)
        for name, latitude, longitude in places
        if distance_from_centre_km(float(latitude), float(longitude)) > RADIUS_KM
    }
    assert far == {}


@pytest.mark.django_db
def test_the_assembly_its_rhythm_and_addresses_are_in_the_town():
    call_command("seed_demo", "--force", stdout=io.StringIO())

    config = AssemblyConfiguration.get()
    assert (config.city, config.name) == ("Lille", "Assemblée des Communs de Lille")
    assert Rhythm.get().default_venue.name == "La Maison des Communs"
    addresses = [
        *Venue.objects.values_list("address", flat=True),
        *Commons.objects.exclude(address="").values_list("address", flat=True),
    ]
    assert addresses
    assert all(address.endswith("Lille") for address in addresses), addresses


def test_demo_content_lives_in_data_files_beside_thin_seeders():
    for app in ("commons_registry", "workshops", "decisions", "charter"):
        assert (ROOT / app / "demo" / "content.toml").is_file(), app
        assert content(f"{app}.demo"), app
        assert not (ROOT / app / "demo.py").exists(), app
    assert content("assembly.demo")["town"]["city"] == "Lille"


def test_no_demo_file_mentions_lillebonne():
    for path in ROOT.glob("*/demo/*"):
        if path.is_file() and path.suffix in {".py", ".toml", ".md"}:
            assert "lillebonne" not in path.read_text(encoding="utf-8").lower(), path
