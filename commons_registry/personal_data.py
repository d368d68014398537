"""What the directory holds about one person, for their data export (/me/export.json) and the
deletion of their account. Registered in apps.py; assembly/personal_data.py gathers the sections.

On deletion the entries they proposed, edited or assessed stay in the directory without their
name (on_delete SET_NULL); their stewardships go with them.
"""

from django.utils import timezone

from .models import Commons, OstromAssessment


def _local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def stewarded_commons(person) -> list[dict]:
    return [
        {"name": name, "slug": slug, "state": state}
        for name, slug, state in Commons.objects.filter(stewards=person)
        .order_by("name")
        .values_list("name", "slug", "state")
    ]


def proposed_commons(person) -> list[dict]:
    """The entries the person proposed, whatever became of them, as they read today."""
    rows = Commons.objects.filter(submitted_by=person).order_by("created_at", "pk")
    return [
        {
            "name": row.name,
            "slug": row.slug,
            "summary": row.summary,
            "state": row.state,
            "moderation_reason": row.moderation_reason,
            "proposed_at": _local(row.created_at),
        }
        for row in rows
    ]


def commons_changes(person) -> list[dict]:
    """Each version of an entry that the person's change produced (django-simple-history)."""
    rows = Commons.history.filter(history_user=person).order_by("history_date", "history_id")
    return [
        {
            "commons": row.name,
            "slug": row.slug,
            "changed_at": _local(row.history_date),
            "summary": row.summary,
            "description": row.description,
            "resource": row.resource,
            "community": row.community,
            "governance": row.governance,
        }
        for row in rows
    ]


def forget_proposer_in_history(person) -> None:
    """History rows copy `submitted_by` in a column without a database constraint, so deleting
    the person would leave their id behind: clear it first. `history_user` is a real foreign key
    and is set to NULL by the database."""
    Commons.history.filter(submitted_by=person).update(submitted_by=None)


def ostrom_assessments(person) -> list[dict]:
    rows = (
        OstromAssessment.objects.filter(assessed_by=person)
        .select_related("commons")
        .order_by("assessed_on", "pk")
    )
    return [
        {
            "commons": row.commons.name,
            "assessed_on": row.assessed_on.isoformat(),
            "principles": {
                field: {"level": getattr(row, field), "comment": getattr(row, f"{field}_comment")}
                for field, _label in OstromAssessment.PRINCIPLES
            },
        }
        for row in rows
    ]
