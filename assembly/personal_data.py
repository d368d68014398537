"""A person's own data: the registry of sections that their export (/me/export.json) and the
deletion of their account both follow.

Each app registers, from its AppConfig.ready(), one section per kind of data it holds about a
person: how to export it, which models (with a foreign key to the person) it covers, and what to
do before the account is deleted (by default the database's on_delete does the rest). A test
lists every model with a foreign key to the person model and fails when one is covered by no
section, so a new model cannot be forgotten.
"""

import dataclasses
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone


@dataclasses.dataclass(frozen=True)
class Section:
    name: str
    export: Callable[[object], object]
    covers: tuple[type, ...] = ()
    before_delete: Callable[[object], None] | None = None


_SECTIONS: dict[str, Section] = {}


def register(
    name: str,
    export: Callable[[object], object],
    *,
    covers: Iterable[type] = (),
    before_delete: Callable[[object], None] | None = None,
) -> None:
    """Add (or replace, on a re-import) one section of a person's data."""
    _SECTIONS[name] = Section(name, export, tuple(covers), before_delete)


def sections() -> list[Section]:
    return list(_SECTIONS.values())


def export(person, *, now=None) -> dict:
    return {
        "exported_at": timezone.localtime(now or timezone.now()).isoformat(),
        "sections": {section.name: section.export(person) for section in sections()},
    }


@dataclasses.dataclass(frozen=True)
class Records:
    """Records about someone who has no account here (a fediverse account following the
    assembly), known by an address, not by a person: an administrator exports or forgets them
    at that someone's request, since /me/export.json cannot reach them."""

    name: str
    model: type
    export: Callable[[object], dict]
    forget: Callable[[object], None]


_RECORDS: dict[str, Records] = {}


def register_records(
    name: str, model: type, *, export: Callable[[object], dict], forget: Callable[[object], None]
) -> None:
    _RECORDS[name] = Records(name, model, export, forget)


def records() -> list[Records]:
    return list(_RECORDS.values())


@transaction.atomic
def delete_person(person, delete_account: Callable[[object], None]) -> None:
    """Run each section's preparation, then delete the account, in one transaction."""
    for section in sections():
        if section.before_delete is not None:
            section.before_delete(person)
    delete_account(person)
