"""Demo data of the notification layer: a few subscribers without an account (confirmed or
waiting for their link) and people's per-topic choices, so that `make run` shows them."""

import datetime

from django.utils import timezone

from .models import Frequency, Subscriber, Topic, User
from .notifications import topics

SUBSCRIBERS = [
    # email, language, confirmed
    ("info.jardins@example.org", "fr", True),
    ("voisine.curieuse@example.org", "fr", True),
    ("visiting.researcher@example.org", "en", True),
    ("pas.encore.confirme@example.org", "fr", False),
]


def seed(scale: str, stdout) -> None:
    now = timezone.now()
    created = 0
    for email, language, confirmed in SUBSCRIBERS:
        _subscriber, was_created = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "language": language,
                "created_at": now - datetime.timedelta(days=20),
                "confirmation_sent_at": now - datetime.timedelta(days=20),
                "confirmed_at": now - datetime.timedelta(days=19) if confirmed else None,
            },
        )
        created += was_created
    # The member reads discussions weekly; the facilitator wants nothing about the directory.
    member = User.objects.filter(email="member@example.org").first()
    if member is not None:
        topics.set_frequency(member, Topic.DECISIONS, Frequency.WEEKLY)
    facilitator = User.objects.filter(email="facilitator@example.org").first()
    if facilitator is not None:
        topics.set_frequency(facilitator, Topic.COMMONS, Frequency.NEVER)
    stdout.write(f"notifications: {created} subscribers created")
