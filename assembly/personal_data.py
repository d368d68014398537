"""A person's own data, as one JSON document of sections (their right of access).

Part of the composition root: the sections come from every app through its public functions, in
the order of the dependency chain. An app that holds personal data adds its section here (the
decisions app will add the person's comments and votes).
"""

from collections.abc import Callable

from django.utils import timezone

from workshops import personal_data as workshops_data

from .models import User


def profile(person: User) -> dict:
    return {
        "email": person.email,
        "display_name": person.display_name,
        "bio": person.bio,
        "listed": person.listed,
        "wants_reminders": person.wants_reminders,
        "language": person.language,
        "date_joined": timezone.localtime(person.date_joined).isoformat(),
        "membership_declared_at": (
            timezone.localtime(person.membership_declared_at).isoformat()
            if person.membership_declared_at
            else None
        ),
        "eligible_until": person.eligible_until.isoformat() if person.eligible_until else None,
    }


def stewarded_commons(person: User) -> list[dict]:
    return [
        {"name": name, "slug": slug, "state": state}
        for name, slug, state in person.stewarded_commons.order_by("name").values_list(
            "name", "slug", "state"
        )
    ]


SECTIONS: list[tuple[str, Callable[[User], object]]] = [
    ("profile", profile),
    ("stewarded_commons", stewarded_commons),
    ("attendance", workshops_data.attendance),
    ("workshop_signups", workshops_data.workshop_signups),
    ("proposed_workshops", workshops_data.proposed_workshops),
    ("deliveries", workshops_data.deliveries),
]


def export(person: User, *, now=None) -> dict:
    return {
        "exported_at": timezone.localtime(now or timezone.now()).isoformat(),
        "sections": {name: section(person) for name, section in SECTIONS},
    }
