"""Notes with history: every revision of a meeting's plenary notes and of a workshop's notes is
kept (django-simple-history on both models), revisions are compared as word diffs
(assembly/diffs.py), and a save based on a stale revision never overwrites another's text.

A notes form carries the revision it was based on. When someone else saved different notes
meanwhile, the save is refused with `StaleNotes`: theirs stays saved, the page shows what they
changed and gives the person's own text back in the form, now based on the latest revision.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Meeting, Workshop

FIELD = {Meeting: "plenary_notes", Workshop: "notes"}


@dataclass
class Revision:
    id: int
    number: int
    text: str
    written_at: datetime.datetime
    written_by: object  # the person, or None (a task, the demo, a deleted account)


class StaleNotes(Exception):
    """Someone saved other notes since the form was opened."""

    message = _(
        "Someone else saved these notes while you were writing. Their text is kept; yours is "
        "below. Merge the two, then save again."
    )

    def __init__(self, *, base_text: str, current_text: str, latest_revision: int | None):
        super().__init__(str(self.message))
        self.base_text = base_text
        self.current_text = current_text
        self.latest_revision = latest_revision


def notes_of(subject) -> str:
    return getattr(subject, FIELD[type(subject)])


def latest_revision_id(subject) -> int | None:
    return subject.history.order_by("-history_id").values_list("history_id", flat=True).first()


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
    current = getattr(locked, field)
    if based_on is not None:
        latest = latest_revision_id(locked)
        if latest is not None and latest != based_on:
            base = locked.history.filter(history_id=based_on).values_list(field, flat=True)
            base_text = base.first() or ""
            if current not in (base_text, text):
                raise StaleNotes(base_text=base_text, current_text=current, latest_revision=latest)
    setattr(locked, field, text)
    locked._history_user = by
    update_fields = [field, "updated_at"] if model is Workshop else [field]
    locked.save(update_fields=update_fields)
    return locked
