"""What the gatherings app holds about one person, for their data export. On deletion the database
does the rest: registrations, the organiser role, volunteering and poll answers go with the account
(CASCADE); sessions proposed, gatherings and polls created stay without a name (SET_NULL), and so do
the revisions of notes and minutes (history_user SET_NULL)."""

from django.utils import timezone

from .models import (
    Gathering,
    Poll,
    PollAnswer,
    Registration,
    Session,
    SessionRegistration,
    Volunteer,
)


def _local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def gatherings(person) -> dict:
    return {
        "created": list(
            Gathering.objects.filter(created_by=person).values_list("title", flat=True)
        ),
        "organising": list(
            Gathering.objects.filter(organisers__person=person).values_list("title", flat=True)
        ),
        "registrations": [
            {"gathering": r.gathering.title, "registered_at": _local(r.registered_at)}
            for r in Registration.objects.filter(person=person).select_related("gathering")
        ],
        "volunteering": [
            {
                "gathering": v.gathering.title,
                "availability": v.availability,
                "formats": [str(f) for f in v.formats.all()],
            }
            for v in Volunteer.objects.filter(person=person)
            .select_related("gathering")
            .prefetch_related("formats")
        ],
    }


def sessions(person) -> dict:
    return {
        "proposed": [
            {
                "gathering": s.gathering.title,
                "title": s.title,
                "description": s.description,
                "needs": s.needs,
                "state": s.state,
                "created_at": _local(s.created_at),
            }
            for s in Session.objects.filter(proposed_by=person).select_related("gathering")
        ],
        "facilitating": [
            {"gathering": s.gathering.title, "title": s.title, "starts_at": _local(s.starts_at)}
            for s in Session.objects.filter(facilitators=person).select_related("gathering")
        ],
        "registrations": [
            {
                "session": r.session.title,
                "state": r.state,
                "joined_at": _local(r.joined_at),
                "promoted_at": _local(r.promoted_at),
            }
            for r in SessionRegistration.objects.filter(person=person).select_related("session")
        ],
    }


def revisions(person) -> list[dict]:
    rows = [
        {"session_id": r.id, "notes": r.notes, "at": _local(r.history_date)}
        for r in Session.history.filter(history_user=person).order_by("history_date")
    ]
    rows += [
        {"gathering_minutes": r.minutes, "at": _local(r.history_date)}
        for r in Gathering.history.filter(history_user=person).order_by("history_date")
    ]
    return rows


def polls(person) -> dict:
    return {
        "created": [
            {"title": p.title, "created_at": _local(p.created_at)}
            for p in Poll.objects.filter(created_by=person)
        ],
        "answers": [
            {
                "poll": a.poll.title,
                "name": a.name,
                "choices": {str(c.date): c.value for c in a.choices.all()},
            }
            for a in PollAnswer.objects.filter(person=person)
            .select_related("poll")
            .prefetch_related("choices__date")
        ],
    }
