"""What is waiting for a signed-in person, gathered from every app for home and /me/: votes to
cast, discussions they took part in that moved on, workshop notes to write.

Part of the composition root: each rule lives in its app (Decision.objects.awaiting_vote_from,
Decision.objects.changed_since_taking_part, Workshop.objects.notes_missing_for); this module
only asks them, one query each, and keeps each list short.
"""

from dataclasses import dataclass

from django.utils import timezone

from assembly.prepared import prepared
from decisions.models import Decision
from workshops.models import Workshop

# Past this many, the rest is one click away on the decision log or the agenda.
LIMIT = 10


@dataclass(frozen=True)
class Waiting:
    votes: list
    discussions: list
    notes: list

    def __bool__(self):
        return bool(self.votes or self.discussions or self.notes)


# Compiled once per process (assembly/prepared.py): home and /me/ ask them at every first view.
# Each reads the columns its cards show only (portal/templatetags/waiting_cards.py): every other
# one cost its conversion into each instance.
@prepared(datetimes=("now",))
def _votes(person, now):
    return Decision.objects.awaiting_vote_from(person, now).only("title", "vote_closes_at")[:LIMIT]


@prepared(datetimes=("now",))
def _discussions(person, now):
    return Decision.objects.changed_since_taking_part(person, now).only(
        "title", "phase", "outcome"
    )[:LIMIT]


@prepared(datetimes=("now",))
def _notes(person, now):
    return (
        Workshop.objects.notes_missing_for(person, now)
        .select_related("meeting")
        .only("title", "meeting__title", "meeting__starts_at")[:LIMIT]
    )


def waiting_for(person, now=None) -> Waiting | None:
    """None for someone not signed in (and then no query at all)."""
    if not person.is_authenticated:
        return None
    now = now or timezone.now()
    votes = _votes(person=person.pk, now=now)
    voting_on = {decision.pk for decision in votes}
    discussions = [
        decision
        for decision in _discussions(person=person.pk, now=now)
        if decision.pk not in voting_on  # the vote to cast already says it
    ]
    notes = _notes(person=person.pk, now=now)
    return Waiting(votes=votes, discussions=discussions, notes=notes)
