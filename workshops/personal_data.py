"""What the workshops app holds about one person, for their data export (/me/export.json).

Each function returns a JSON-ready list; assembly/personal_data.py gathers them with the other
apps' sections.
"""

from django.utils import timezone

from .models import AppliedTick, Attendance, Meeting, Workshop, WorkshopSignup


def keep_attendance_anonymously(person) -> None:
    """Before the person is deleted: leave exactly one meeting-level row per meeting they
    attended, so that once their rows lose their name (person set to NULL) the statistics can
    still count them once per meeting. A meeting they attended only through a workshop gets that
    meeting-level row now; their workshop rows stay as they are."""
    meetings_with_plenary = Attendance.objects.filter(person=person, workshop=None).values(
        "meeting_id"
    )
    only_workshops = (
        Attendance.objects.filter(person=person)
        .exclude(meeting_id__in=meetings_with_plenary)
        .values_list("meeting_id", flat=True)
        .distinct()
    )
    Attendance.objects.bulk_create(
        [Attendance(person=person, meeting_id=meeting_id) for meeting_id in only_workshops],
        ignore_conflicts=True,
    )


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


def door_ticks(person) -> list[dict]:
    """The ticks a phone sent for this person at the door (kept after an undo, see AppliedTick)."""
    rows = (
        AppliedTick.objects.filter(person=person)
        .select_related("meeting")
        .order_by("applied_at", "pk")
    )
    return [
        {
            "meeting": row.meeting.title,
            "meeting_starts_at": _local(row.meeting.starts_at),
            "client_id": str(row.client_id),
            "applied_at": _local(row.applied_at),
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


def hosted_meetings(person) -> list[dict]:
    rows = Meeting.objects.filter(hosts=person).order_by("starts_at", "pk")
    return [{"title": row.title, "starts_at": _local(row.starts_at)} for row in rows]


def facilitated_workshops(person) -> list[dict]:
    rows = (
        Workshop.objects.filter(facilitators=person)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )
    return [
        {
            "title": row.title,
            "meeting": row.meeting.title,
            "meeting_starts_at": _local(row.meeting.starts_at),
        }
        for row in rows
    ]


def notes_revisions(person) -> list[dict]:
    """Each revision of meeting or workshop notes the person saved (django-simple-history)."""
    meetings = Meeting.history.filter(history_user=person).order_by("history_date", "history_id")
    workshops = Workshop.history.filter(history_user=person).order_by("history_date", "history_id")
    return [
        {"meeting": row.id, "saved_at": _local(row.history_date), "notes": row.plenary_notes}
        for row in meetings
    ] + [
        {"workshop": row.id, "saved_at": _local(row.history_date), "notes": row.notes}
        for row in workshops
    ]
