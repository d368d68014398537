"""What the charter holds about one person, for their data export (/me/export.json) and the
deletion of their account. Registered in apps.py; assembly/personal_data.py gathers the sections.

On deletion no text is lost: the amendments and every charter version stay; the decision that
carries an amendment loses its author and a resolved conflict its resolver (on_delete SET_NULL).
"""

from .models import Amendment


def charter_amendments(person) -> list[dict]:
    """The amendments the person proposed (as the author of their charter-change decision)."""
    rows = (
        Amendment.objects.filter(decision__author=person)
        .select_related("decision", "base_version", "resulting_version")
        .order_by("decision__created_at", "pk")
    )
    return [
        {
            "title": row.decision.title,
            "drafted_from_version": row.base_version.number,
            "proposed_text": row.proposed_text,
            "rationale": row.rationale,
            "status": row.status,
            "resulting_version": row.resulting_version.number if row.resulting_version else None,
        }
        for row in rows
    ]


def charter_conflicts_resolved(person) -> list[dict]:
    rows = (
        Amendment.objects.filter(resolved_by=person)
        .select_related("decision", "resulting_version")
        .order_by("resulting_version__number", "pk")
    )
    return [
        {"title": row.decision.title, "resulting_version": row.resulting_version.number}
        for row in rows
    ]
