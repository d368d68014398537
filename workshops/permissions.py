"""Who may do what with meetings and workshops: small predicates for views and templates alike.

Each predicate takes the person and the object and looks up the facts it needs itself (did they
attend, do they host, do they run the workshop), so that a page offers a form exactly when saving
it would be allowed. The loaders answer 404 for what the person may not see.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assembly.permissions import is_facilitator, is_signed_in
from assembly.prepared import prepared

from .models import Meeting, Workshop


def meeting_for(request, pk, queryset=None, *, read=None) -> Meeting:
    """The meeting at this address (every meeting is public, cancelled ones too), or 404.
    `read`: a prepared query of it by its key that reads more with it (the board's)."""
    if queryset is None:
        found = (read or _meeting_with_venue)(meeting=pk)
        if not found:
            raise Http404
        return found[0]
    return get_object_or_404(queryset, pk=pk)


# The board reads it at every first view: built and compiled once (assembly/prepared.py).
@prepared()
def _meeting_with_venue(meeting):
    return Meeting.objects.select_related("venue").filter(pk=meeting)


def workshop_for(request, pk, queryset=None) -> Workshop:
    """The workshop at this address, or 404 when it does not exist or is hidden from the person."""
    if queryset is None:
        queryset = Workshop.objects.select_related(
            "meeting", "meeting__venue", "proposed_by"
        ).prefetch_related("facilitators", "related_commons")
    workshop = get_object_or_404(queryset, pk=pk)
    if not can_see_workshop(request.user, workshop):
        raise Http404
    return workshop


def can_see_workshop(person, workshop) -> bool:
    return not workshop.hidden or is_facilitator(person)


def can_propose_workshop(person, meeting, now=None) -> bool:
    return is_signed_in(person) and not meeting.is_cancelled and meeting.is_upcoming(now)


def can_sign_up(person, meeting, now=None) -> bool:
    return can_propose_workshop(person, meeting, now)


def can_volunteer_to_host(person, meeting, now=None) -> bool:
    return can_propose_workshop(person, meeting, now)


def runs_workshop(person, workshop) -> bool:
    """Whether the person proposed or facilitates this workshop."""
    return is_signed_in(person) and workshop.is_run_by(person)


def can_edit_workshop(person, workshop) -> bool:
    return runs_workshop(person, workshop) or is_facilitator(person)


def sees_workshop_link(workshop, *, signed_up: bool, runs: bool, facilitator: bool) -> bool:
    """A hybrid workshop's online link is for the people signed up to it, those who run it and
    the facilitators: three facts the board keeps its cards by (views/board.py), so that a kept
    card shows the link to exactly the viewers whose key holds them."""
    return bool(workshop.online_link) and (signed_up or runs or facilitator)


def can_see_workshop_link(person, workshop, *, signed_up: bool) -> bool:
    """`signed_up`: whether the person signed up to it, which the caller has read already."""
    return sees_workshop_link(
        workshop,
        signed_up=signed_up and is_signed_in(person),
        runs=runs_workshop(person, workshop),
        facilitator=is_facilitator(person),
    )


def can_see_meeting_link(person, meeting, *, registered: bool | None = None) -> bool:
    """A hybrid meeting's online link is for the facilitators and the people who said they come:
    its hosts, and who signed up to or runs one of its visible workshops
    (`Meeting.objects.registered_by`). `registered`, when the caller knows it already, spares
    the query."""
    if not meeting.online_link or not is_signed_in(person):
        return False
    if is_facilitator(person):
        return True
    return registered if registered is not None else meeting.is_registered_by(person)


def can_hide_workshop(person) -> bool:
    return is_facilitator(person)


def can_write_plenary_notes(person, meeting, now=None, *, took_part: bool | None = None) -> bool:
    """After the meeting has begun, anyone who took part writes the notes: the people ticked
    present, its hosts, the people who ran one of its workshops, and the facilitators.
    `took_part`, when the caller knows it already, spares the query."""
    if not is_signed_in(person) or not meeting.has_started(now):
        return False
    if is_facilitator(person):
        return True
    return took_part if took_part is not None else meeting.was_taken_part_in_by(person)


def can_write_notes(person, workshop, now=None) -> bool:
    """A workshop's notes follow the same rule as its meeting's."""
    return can_write_plenary_notes(person, workshop.meeting, now)


def can_record_attendance(person) -> bool:
    return is_facilitator(person)


def can_tick_workshop(person, workshop, now=None) -> bool:
    """Facilitators tick anyone; a workshop's hosts (who proposed or facilitate it) tick its
    signed-up participants, at that workshop only, and only on the meeting's day."""
    if can_record_attendance(person):
        return True
    if workshop.hidden or workshop.meeting.is_cancelled or not runs_workshop(person, workshop):
        return False
    today = timezone.localdate(now or timezone.now())
    return timezone.localdate(workshop.meeting.starts_at) == today


def can_see_deliveries(person) -> bool:
    return is_facilitator(person)


def can_manage_meetings(person) -> bool:
    """Create and edit meetings, cancel and reinstate them: facilitators only."""
    return is_facilitator(person)


def can_cancel_meeting(person, meeting, now=None) -> bool:
    return can_manage_meetings(person) and not meeting.is_cancelled and meeting.is_upcoming(now)


def can_reinstate_meeting(person, meeting) -> bool:
    return can_manage_meetings(person) and meeting.is_cancelled


def can_manage_venues(person) -> bool:
    return is_facilitator(person)
