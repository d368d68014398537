"""What decisions hold about one person, for their data export (/me/export.json) and the deletion
of their account. Registered in apps.py; assembly/personal_data.py gathers the sections.

On deletion everything the assembly decided stays, without their name: the decisions they opened,
their comments, the statements they wrote (on_delete SET_NULL), and their votes, whose roll entry
loses its person so that turnout and tallies never change.
"""

from collections import defaultdict

from django.utils import timezone

from .models import Comment, Decision, RollEntry, Vote


def _local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def authored_decisions(person) -> list[dict]:
    rows = Decision.objects.filter(author=person).order_by("created_at", "pk")
    return [
        {
            "title": row.title,
            "kind": row.kind,
            "context": row.context,
            "proposal": row.proposal,
            "phase": row.phase,
            "outcome": row.outcome,
            "opened_at": _local(row.created_at),
        }
        for row in rows
    ]


def decision_comments(person) -> list[dict]:
    rows = (
        Comment.objects.filter(author=person)
        .select_related("decision")
        .order_by("created_at", "pk")
    )
    return [
        {
            "decision": row.decision.title,
            "text": row.text,
            "written_at": _local(row.created_at),
            "edited_at": _local(row.edited_at),
            "hidden": row.hidden,
        }
        for row in rows
    ]


def votes(person) -> list[dict]:
    """Each roll the person was on, their vote (if any) and every change to it."""
    entries = (
        RollEntry.objects.filter(person=person)
        .select_related("decision", "vote")
        .order_by("decision__vote_opens_at", "pk")
    )
    changes = defaultdict(list)
    for record in Vote.history.filter(roll_entry__person=person).order_by(
        "history_date", "history_id"
    ):
        changes[record.roll_entry_id].append(
            {"choice": record.choice, "reason": record.reason, "cast_at": _local(record.cast_at)}
        )
    result = []
    for entry in entries:
        vote = getattr(entry, "vote", None)
        result.append(
            {
                "decision": entry.decision.title,
                "vote_opened_at": _local(entry.decision.vote_opens_at),
                "choice": vote.choice if vote else None,
                "reason": vote.reason if vote else "",
                "cast_at": _local(vote.cast_at) if vote else None,
                "history": changes[entry.pk],
            }
        )
    return result


def outcome_statements(person) -> list[dict]:
    """The outcome statements the person wrote, read from the decisions' history: each version
    of a statement whose change they made."""
    touched = Decision.history.filter(history_user=person).values("id")
    records = Decision.history.filter(id__in=touched).order_by("id", "history_date", "history_id")
    statements, previous = [], {}
    for record in records:
        before = previous.get(record.id, "")
        previous[record.id] = record.outcome_statement
        if record.history_user_id == person.pk and record.outcome_statement not in ("", before):
            statements.append(
                {
                    "decision": record.title,
                    "statement": record.outcome_statement,
                    "written_at": _local(record.history_date),
                }
            )
    return statements


def forget_author_in_history(person) -> None:
    """History rows copy `author` in a column without a database constraint, so deleting the
    person would leave their id behind: clear it first. `history_user` is a real foreign key and
    is set to NULL by the database."""
    Decision.history.filter(author=person).update(author=None)
