"""Texts kept with every revision: a session's notes and the gathering's minutes (django-simple-
history records only that field of each model). One way to write a revision, one way to read them
back, each compared with the one before by the word diff the charter and workshops' notes use
(assembly/diffs.py). A save based on a stale revision is refused as workshops' notes are
(assembly/revisions.py: `StaleNotes`)."""

from django.db import transaction

from assembly import diffs
from assembly.revisions import refuse_if_stale

# How many revisions a history page shows, newest first.
SHOWN = 50


@transaction.atomic
def write(subject, field: str, text: str, *, based_on: int | None = None, by=None):
    """Save `text` as the new revision of `subject`'s `field`, written by `by`, under the row's
    lock so that two saves at once make two revisions, one after the other. With `based_on` (the
    revision the form showed), refuse with StaleNotes when another text was saved since then."""
    locked = type(subject).objects.select_for_update().get(pk=subject.pk)
    refuse_if_stale(locked, field, text, based_on)
    setattr(locked, field, text)
    locked._history_user = by
    locked.save(update_fields=[field])
    return locked


def compared(subject, field: str) -> list[dict]:
    """The revisions that changed the text, newest first, each with the word diff from the one
    before. A save that changed only other fields of the row is no revision of the text."""
    rows, previous = [], ""
    history = subject.history.select_related("history_user").order_by("history_date", "history_id")
    for revision in history:
        text = getattr(revision, field)
        if text != previous:
            rows.append(
                {
                    "revision": revision,
                    "number": len(rows) + 1,
                    "inline": diffs.render_inline(diffs.word_diff(previous, text)),
                }
            )
        previous = text
    return rows[::-1][:SHOWN]
