"""What the chantiers app holds about one person, for their data export. On deletion the
database does the rest: participations go, cards and chantiers keep their text without a name."""

from django.utils import timezone

from .models import Card, Chantier, Participant


def _local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def chantiers(person) -> dict:
    return {
        "participations": [
            {"chantier": p.chantier.title, "role": p.role, "joined_at": _local(p.joined_at)}
            for p in Participant.objects.filter(person=person).select_related("chantier")
        ],
        "started": list(Chantier.objects.filter(started_by=person).values_list("title", flat=True)),
    }


def cards(person) -> list[dict]:
    rows = Card.objects.filter(assignee=person) | Card.objects.filter(created_by=person)
    return [
        {
            "chantier": card.chantier.title,
            "title": card.title,
            "description": card.description,
            "assigned_to_me": card.assignee_id == person.pk,
            "due_on": card.due_on.isoformat() if card.due_on else None,
            "created_at": _local(card.created_at),
        }
        for card in rows.select_related("chantier").distinct().order_by("created_at", "pk")
    ]


def forget_in_card_history(person) -> None:
    """History rows copy `assignee` and `created_by` in columns without a database constraint, so
    deleting the person would leave their id behind: clear them first. `history_user` is a real
    foreign key and is set to NULL by the database; the moves stay in the history, unnamed."""
    Card.history.filter(assignee=person).update(assignee=None)
    Card.history.filter(created_by=person).update(created_by=None)
