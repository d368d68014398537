"""What the workshops app holds about one person, for their data export (/me/export.json).

Each function returns a JSON-ready list; assembly/personal_data.py gathers them with the other
apps' sections.
"""

from django.utils import timezone

from .models import Attendance, Delivery, Workshop, WorkshopSignup


def _local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def attendance(person) -> list[dict]:
    rows = (
        Attendance.objects.filter(person=person)
        .select_related("meeting", "workshop")
        .order_by("meeting__starts_at", "pk")
    )
    return [
        {
            "meeting": row.meeting.title,
            "meeting_starts_at": _local(row.meeting.starts_at),
            "workshop": row.workshop.title if row.workshop else None,
            "recorded_at": _local(row.recorded_at),
        }
        for row in rows
    ]


def workshop_signups(person) -> list[dict]:
    rows = (
        WorkshopSignup.objects.filter(person=person)
        .select_related("workshop__meeting")
        .order_by("created_at", "pk")
    )
    return [
        {
            "workshop": row.workshop.title,
            "meeting": row.workshop.meeting.title,
            "meeting_starts_at": _local(row.workshop.meeting.starts_at),
            "signed_up_at": _local(row.created_at),
        }
        for row in rows
    ]


def proposed_workshops(person) -> list[dict]:
    rows = (
        Workshop.objects.filter(proposed_by=person)
        .select_related("meeting")
        .order_by("created_at", "pk")
    )
    return [
        {
            "title": row.title,
            "description": row.description,
            "meeting": row.meeting.title,
            "meeting_starts_at": _local(row.meeting.starts_at),
            "notes": row.notes,
            "proposed_at": _local(row.created_at),
        }
        for row in rows
    ]


def deliveries(person) -> list[dict]:
    rows = Delivery.objects.filter(person=person).order_by("created_at", "pk")
    return [
        {
            "about": row.topic,
            "kind": row.kind,
            "state": row.state,
            "created_at": _local(row.created_at),
            "sent_at": _local(row.sent_at),
        }
        for row in rows
    ]
