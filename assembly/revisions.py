"""Texts kept with every revision (django-simple-history on their model): a save based on a stale
revision never overwrites another's text. Workshops' notes, a meeting's plenary notes, a session's
notes and a gathering's minutes all ask here.

A form for such a text carries the revision it was based on (the history row's id). When someone
else saved a different text meanwhile, the save is refused with `StaleNotes`: theirs stays saved,
and the page shows what they changed and gives the person's own text back, now based on the
latest revision. A form without a revision (one opened before forms carried it) is not checked.
"""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _


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


def latest_revision_id(subject) -> int | None:
    return subject.history.order_by("-history_id").values_list("history_id", flat=True).first()


def latest_revision(model) -> Subquery:
    """latest_revision_id of each row, as an annotation: read with the row, in the same query."""
    return Subquery(
        model.history.filter(id=OuterRef("pk")).order_by("-history_id").values("history_id")[:1]
    )


def refuse_if_stale(locked, field: str, text: str, based_on: int | None) -> None:
    """Raise StaleNotes when `locked` (the row, under its lock) has a revision after `based_on`
    whose `field` differs both from the text the form was based on and from `text`. A change to
    other fields meanwhile, or the same text saved twice, is no conflict."""
    if based_on is None:
        return
    latest = latest_revision_id(locked)
    if latest is None or latest == based_on:
        return
    current = getattr(locked, field)
    base = locked.history.filter(history_id=based_on).values_list(field, flat=True)
    base_text = base.first() or ""
    if current not in (base_text, text):
        raise StaleNotes(base_text=base_text, current_text=current, latest_revision=latest)
