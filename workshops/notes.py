"""Notes with history: every revision of a meeting's plenary notes and of a workshop's notes is
kept (django-simple-history on both models), revisions are compared as word diffs
(assembly/diffs.py), and a save based on a stale revision never overwrites another's text.

A notes form carries the revision it was based on; the check, shared with gatherings' session
notes and minutes, is assembly/revisions.py's (`StaleNotes`, `refuse_if_stale`).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from assembly.revisions import StaleNotes, latest_revision_id, refuse_if_stale

from .models import Meeting, Workshop

__all__ = ["StaleNotes", "latest_revision_id", "revisions", "write_notes"]

FIELD = {Meeting: "plenary_notes", Workshop: "notes"}


@dataclass
class Revision:
    id: int
    number: int
    text: str
    written_at: datetime.datetime
    written_by: object  # the person, or None (a task, the demo, a deleted account)


def notes_of(subject) -> str:
    return getattr(subject, FIELD[type(subject)])


def revisions(subject) -> list[Revision]:
    """The notes' revisions, oldest first. Saves that changed only other fields of the meeting or
    the workshop left the notes as they were: they are not revisions of the notes."""
    field = FIELD[type(subject)]
    found: list[Revision] = []
    rows = subject.history.select_related("history_user").order_by("history_id")
    for row in rows:
        text = getattr(row, field)
        if found and found[-1].text == text:
            continue
        found.append(
            Revision(
                id=row.history_id,
                number=len(found) + 1,
                text=text,
                written_at=row.history_date,
                written_by=row.history_user,
            )
        )
    return found


@transaction.atomic
def write_notes(subject, text: str, *, based_on: int | None = None, by=None):
    """Save the notes as a new revision. With `based_on` (the revision the form showed), refuse
    with StaleNotes when the notes changed since then, unless they already read as `text`."""
    model = type(subject)
    field = FIELD[model]
    locked = model.objects.select_for_update().get(pk=subject.pk)
    refuse_if_stale(locked, field, text, based_on)
    setattr(locked, field, text)
    locked._history_user = by
    update_fields = [field, "updated_at"] if model is Workshop else [field]
    locked.save(update_fields=update_fields)
    return locked
