"""The demo assembly that `seed_demo` builds: its town and accounts, and the loader every app's
demo seeder uses to read its content.

Each app keeps its demo content in data files beside its seeder (`<app>/demo/content.toml`, and
for the charter its texts in Markdown); the seeders stay thin.
"""

import datetime
import math
import tomllib
from functools import cache
from importlib.resources import files

from django.utils import timezone

from assembly.models import Frequency, Subscriber, Topic, User
from assembly.notifications import topics


@cache
def content(package: str, name: str = "content.toml") -> dict:
    """The TOML data file `name` of the demo package `package` (e.g. "workshops.demo")."""
    return tomllib.loads(files(package).joinpath(name).read_text(encoding="utf-8"))


def text(package: str, name: str) -> str:
    """A text file (Markdown…) of the demo package `package`."""
    return files(package).joinpath(name).read_text(encoding="utf-8")


TOWN = content(__name__)["town"]
DEMO_PASSWORD = content(__name__)["accounts"]["password"]
DEMO_ACCOUNTS = [
    (person["email"], person["display_name"], person["role"])
    for person in content(__name__)["accounts"]["people"]
]


def distance_from_centre_km(latitude: float, longitude: float) -> float:
    """Great-circle distance from the demo town's centre (haversine, mean Earth radius)."""
    centre_latitude, centre_longitude = (math.radians(value) for value in TOWN["centre"])
    latitude, longitude = math.radians(latitude), math.radians(longitude)
    half_chord = (
        math.sin((latitude - centre_latitude) / 2) ** 2
        + math.cos(centre_latitude)
        * math.cos(latitude)
        * math.sin((longitude - centre_longitude) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(half_chord))


def seed(scale: str, stdout) -> None:
    """The notification layer's demo: subscribers without an account and per-topic choices."""
    now = timezone.now()
    created = 0
    for entry in content(__name__)["subscribers"]:
        _subscriber, was_created = Subscriber.objects.get_or_create(
            email=entry["email"],
            defaults={
                "language": entry["language"],
                "created_at": now - datetime.timedelta(days=20),
                "confirmation_sent_at": now - datetime.timedelta(days=20),
                "confirmed_at": now - datetime.timedelta(days=19) if entry["confirmed"] else None,
            },
        )
        created += was_created
    # The member reads discussions weekly (the replies to their comment come in the digest); the
    # facilitator wants nothing about the directory and hears at once of replies in the
    # discussion they opened (the worker e-mails them once the demo's comments are in).
    member = User.objects.filter(email="member@example.org").first()
    if member is not None:
        topics.set_frequency(member, Topic.DECISIONS, Frequency.WEEKLY)
    facilitator = User.objects.filter(email="facilitator@example.org").first()
    if facilitator is not None:
        topics.set_frequency(facilitator, Topic.COMMONS, Frequency.NEVER)
        topics.set_frequency(facilitator, Topic.OWN, Frequency.IMMEDIATE)
    stdout.write(f"notifications: {created} subscribers created")
