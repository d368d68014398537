"""The rules of meetings and workshops: each a function named by verb, one transaction each.

Views, tasks, the admin and the demo seed all go through these functions.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly import settings_log
from assembly.domain import DomainError
from assembly.models import User
from assembly.online_links import validate_web_link
from assembly.people import register_at_door
from assembly.prepared import prepared
from assembly.tasking import enqueue_on_commit

from . import membership, notes, rhythm
from .models import AppliedTick, Attendance, Meeting, Venue, Workshop, WorkshopSignup

logger = logging.getLogger(__name__)


class WorkshopError(DomainError):
    """A rule said no; the message is translated and meant for the person who asked."""


def request_membership_recompute(person_ids: list[int]) -> None:
    """Recompute these people's membership once the attendance change has committed."""
    person_ids = sorted({pk for pk in person_ids if pk is not None})
    if person_ids:
        membership.on_attendance_recorded(person_ids)


# --- Meetings ------------------------------------------------------------------------------------


def _ensure_open(meeting: Meeting, now=None) -> None:
    if meeting.is_cancelled:
        raise WorkshopError(_("This meeting is cancelled."))
    if not meeting.is_upcoming(now):
        raise WorkshopError(_("This meeting is over."))


@transaction.atomic
def volunteer_to_host(meeting: Meeting, person: User, *, now=None) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _ensure_open(meeting, now)
    meeting.hosts.add(person)


@transaction.atomic
def withdraw_as_host(meeting: Meeting, person: User) -> None:
    meeting.hosts.remove(person)


MEETING_FIELDS = ("kind", "title", "starts_at", "ends_at", "venue", "online_link")


def _check_times(starts_at, ends_at) -> None:
    if ends_at <= starts_at:
        raise WorkshopError(_("The meeting must end after it starts."))


def _check_online_link(link: str) -> None:
    """The forms refuse a link that is no web address; so do the services, for every other
    caller (the demo, gatherings, a shell)."""
    if link:
        try:
            validate_web_link(link)
        except ValidationError as refusal:
            raise WorkshopError(refusal.messages[0]) from None


@transaction.atomic
def create_meeting(
    *,
    kind: str,
    title: str,
    starts_at,
    ends_at,
    venue: Venue | None = None,
    plenary_notes="",
    online_link="",
) -> Meeting:
    """A meeting a facilitator adds by hand; an assembly gets its initiation workshop at once."""
    _check_times(starts_at, ends_at)
    _check_online_link(online_link)
    meeting = Meeting.objects.create(
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        plenary_notes=plenary_notes,
        online_link=online_link,
    )
    if meeting.kind == Meeting.Kind.ASSEMBLY:
        rhythm.add_initiation_workshop(meeting)
    logger.info("meeting %s created by hand", meeting.pk)
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, **fields) -> Meeting:
    """Change a meeting's title, kind, times or venue. The row lock keeps one initiation workshop
    per assembly when two facilitators turn the same meeting into an assembly at once."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.title = meeting.title.strip()
    _check_times(meeting.starts_at, meeting.ends_at)
    _check_online_link(meeting.online_link)
    meeting.save(update_fields=list(fields))
    if meeting.kind == Meeting.Kind.ASSEMBLY:
        rhythm.add_initiation_workshop(meeting)
    return meeting


@transaction.atomic
def set_counts_for_membership(meeting: Meeting, counts: bool) -> Meeting:
    """Say whether attendance at this meeting counts towards membership; the people who attended
    it have their membership recomputed once the change has committed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.counts_for_membership != counts:
        meeting.counts_for_membership = counts
        meeting.save(update_fields=["counts_for_membership", "updated_at"])
        request_membership_recompute(
            list(meeting.attendances.values_list("person_id", flat=True).distinct())
        )
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, reason: str, *, now=None) -> Meeting:
    """Meetings are never deleted: a cancelled one stays, and says why.

    The people signed up to its workshops and its hosts are told once, by a task enqueued after
    commit. Cancelling an already cancelled meeting only updates the reason and tells nobody again.
    """

    reason = reason.strip()
    if not reason:
        raise WorkshopError(_("Say why the meeting is cancelled."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    was_cancelled = meeting.is_cancelled
    if not was_cancelled and not meeting.is_upcoming(now):
        raise WorkshopError(_("This meeting is over: it can no longer be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancellation_reason = reason
    meeting.save(update_fields=["status", "cancellation_reason"])
    if not was_cancelled:
        enqueue_on_commit("workshops.send_cancellation_notices", meeting_id=meeting.pk)
    return meeting


@transaction.atomic
def reinstate_meeting(meeting: Meeting) -> Meeting:
    """Undo a mistaken cancellation: the meeting is planned again, and the people the
    cancellation e-mail reached are told so, by a task enqueued after commit. Idempotent."""

    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        meeting.status = Meeting.Status.PLANNED
        meeting.cancellation_reason = ""
        meeting.save(update_fields=["status", "cancellation_reason"])

        enqueue_on_commit("workshops.send_reinstatement_notices", meeting_id=meeting.pk)
    return meeting


VENUE_FIELDS = (
    "name",
    "address",
    "latitude",
    "longitude",
    "accessibility",
    "has_work_tables",
    "has_whiteboard",
    "has_projector",
    "has_good_internet",
)


@transaction.atomic
def save_venue(venue: Venue | None = None, *, by: User | None = None, **fields) -> Venue:
    """Create a venue, or change one under a row lock so that two edits never mix their fields.
    With `by`, the change is recorded in the settings log (listed on /settings/)."""
    unknown = set(fields) - set(VENUE_FIELDS)
    if unknown:
        raise TypeError(f"unknown venue fields: {sorted(unknown)}")
    venue = Venue() if venue is None else Venue.objects.select_for_update().get(pk=venue.pk)
    before = settings_log.snapshot(venue, VENUE_FIELDS) if venue.pk else {}
    for name, value in fields.items():
        setattr(venue, name, value)
    venue.name = venue.name.strip()
    if not venue.name:
        raise WorkshopError(_("Give the venue a name."))
    if (venue.latitude is None) != (venue.longitude is None):
        raise WorkshopError(_("Give both the latitude and the longitude, or neither."))
    venue.save()
    if by is not None:
        after = settings_log.snapshot(venue, VENUE_FIELDS)
        changed = [name for name in VENUE_FIELDS if before.get(name, ...) != after[name]]
        if changed:
            settings_log.record_change(
                by=by,
                subject=_("Venue: %(name)s") % {"name": venue.name},
                before={name: before[name] for name in changed if name in before},
                after={name: after[name] for name in changed},
            )
    return venue


def write_plenary_notes(meeting: Meeting, text: str, *, based_on=None, by=None) -> Meeting:
    """A new revision of the plenary notes; see notes.write_notes for `based_on` (StaleNotes)."""
    return notes.write_notes(meeting, text, based_on=based_on, by=by)


def next_meeting(now=None) -> Meeting | None:
    """The next meeting that is not over, with its visible workshops ordered by sign-ups
    (`board`: their titles, whether each is an initiation and `signup_count`), each knowing its
    meeting, as a prefetch would give them."""
    found = _next_meeting(now=now or timezone.now())
    if not found:
        return None
    meeting = found[0]
    meeting.board = _board(meeting=meeting.pk)
    for workshop in meeting.board:
        Workshop.meeting.field.set_cached_value(workshop, meeting)
    return meeting


# Home asks for them at every first view: built and compiled once (assembly/prepared.py). The
# board is its own query rather than a prefetch, which Django would build and compile each time.
@prepared(datetimes=("now",))
def _next_meeting(now):
    return Meeting.objects.upcoming(now).select_related("venue")[:1]


@prepared()
def _board(meeting):
    # The columns home's board shows only (workshops/templatetags/workshops_home.py): every
    # other one cost its conversion into each workshop.
    return (
        Workshop.objects.filter(meeting=meeting)
        .visible()
        .by_signups()
        .only("meeting", "title", "is_initiation")
    )


# --- Workshops -----------------------------------------------------------------------------------

WORKSHOP_FIELDS = (
    "title",
    "description",
    "needs_work_tables",
    "needs_whiteboard",
    "needs_projector",
    "needs_good_internet",
    "capacity",
    "online_link",
)


@transaction.atomic
def propose_workshop(
    meeting: Meeting, person: User, *, related_commons=(), now=None, **fields
) -> Workshop:
    """Anyone signed in proposes; no approval. The proposer facilitates it."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _ensure_open(meeting, now)
    unknown = set(fields) - set(WORKSHOP_FIELDS)
    if unknown:
        raise TypeError(f"unknown workshop fields: {sorted(unknown)}")
    _check_online_link(fields.get("online_link", ""))
    workshop = Workshop.objects.create(meeting=meeting, proposed_by=person, **fields)
    workshop.facilitators.add(person)
    if related_commons:
        workshop.related_commons.set(related_commons)

    enqueue_on_commit("workshops.note_workshop_proposed", workshop_id=workshop.pk)
    return workshop


@transaction.atomic
def update_workshop(workshop: Workshop, *, related_commons=None, **fields) -> Workshop:
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    for name, value in fields.items():
        if name not in (*WORKSHOP_FIELDS, "notes"):
            raise TypeError(f"unknown workshop field: {name}")
        setattr(workshop, name, value)
    _check_online_link(workshop.online_link)
    workshop.save()
    if related_commons is not None:
        workshop.related_commons.set(related_commons)
    return workshop


def write_workshop_notes(workshop: Workshop, text: str, *, based_on=None, by=None) -> Workshop:
    """A new revision of the workshop's notes; see notes.write_notes (StaleNotes)."""
    return notes.write_notes(workshop, text, based_on=based_on, by=by)


@transaction.atomic
def set_workshop_hidden(workshop: Workshop, hidden: bool) -> Workshop:
    """Facilitators hide abuse; hiding is reversible, nothing is deleted."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    workshop.hidden = hidden
    workshop.save(update_fields=["hidden", "updated_at"])
    return workshop


@transaction.atomic
def sign_up(workshop: Workshop, person: User, *, now=None) -> WorkshopSignup:
    """ "I'm in": idempotent; a full workshop refuses. The workshop row lock orders sign-ups."""
    workshop = Workshop.objects.select_for_update().select_related("meeting").get(pk=workshop.pk)
    existing = workshop.signup_of(person)
    if existing is not None:
        return existing
    if workshop.hidden:
        raise WorkshopError(_("This workshop is not open for sign-ups."))
    _ensure_open(workshop.meeting, now)
    if workshop.capacity is not None and workshop.signups.count() >= workshop.capacity:
        raise WorkshopError(
            _("“%(title)s” is full (%(capacity)s places). Pick another workshop.")
            % {"title": workshop.title, "capacity": workshop.capacity}
        )
    return WorkshopSignup.objects.create(workshop=workshop, person=person)


@transaction.atomic
def withdraw(workshop: Workshop, person: User) -> bool:
    """ "I'm out": idempotent; returns whether a sign-up was removed."""
    Workshop.objects.select_for_update().filter(pk=workshop.pk).first()
    deleted, _details = WorkshopSignup.objects.of(person).filter(workshop=workshop).delete()
    return bool(deleted)


# --- Attendance ----------------------------------------------------------------------------------


def _check_workshop_of(meeting: Meeting, workshop: Workshop | None) -> None:
    if workshop is not None and workshop.meeting_id != meeting.pk:
        raise WorkshopError(_("This workshop belongs to another meeting."))


@transaction.atomic
def record_attendance(
    meeting: Meeting,
    person: User,
    by: User | None,
    workshop: Workshop | None = None,
    *,
    client_id=None,
) -> tuple[Attendance | None, bool]:
    """Tick a person present; a double tap records nothing more.

    `client_id` is the id the phone made for this tick: a retry or replay of it finds the tick it
    already recorded, and a second phone ticking the same person finds the first one's tick. The
    ids applied are logged (`AppliedTick`), so a replay that comes after the tick was undone is
    answered as handled too: (None, False), and the person stays unticked.
    """
    if client_id is not None:
        applied = AppliedTick.objects.filter(client_id=client_id).first()
        if applied is not None:
            attendance = Attendance.objects.filter(
                person_id=applied.person_id, meeting_id=applied.meeting_id, workshop=workshop
            ).first()
            return attendance, False
    _check_workshop_of(meeting, workshop)
    if meeting.is_cancelled:
        raise WorkshopError(_("This meeting is cancelled."))
    try:
        with transaction.atomic():
            attendance, created = Attendance.objects.get_or_create(
                person=person,
                meeting=meeting,
                workshop=workshop,
                defaults={"recorded_by": by, "recorded_at": timezone.now(), "client_id": client_id},
            )
            if client_id is not None:
                AppliedTick.objects.create(client_id=client_id, meeting=meeting, person=person)
    except IntegrityError:
        # Two taps raced (or two sends of one tick): the other one won, which is what we wanted.
        attendance = Attendance.objects.filter(
            person=person, meeting=meeting, workshop=workshop
        ).first()
        created = False
        if client_id is not None:
            _log_applied(client_id, meeting, person)
    if created:
        request_membership_recompute([person.pk])
    return attendance, created


def _log_applied(client_id, meeting: Meeting, person: User) -> None:
    """Log a tick's id as applied, once (it may have been logged by the send that won a race)."""
    try:
        with transaction.atomic():
            AppliedTick.objects.get_or_create(
                client_id=client_id, defaults={"meeting": meeting, "person": person}
            )
    except IntegrityError:
        pass


def record_workshop_signups(workshop: Workshop, by: User | None) -> int:
    """Tick everyone signed up to this workshop present at it; returns how many were new."""
    people = User.objects.filter(workshop_signups__workshop=workshop, is_active=True)
    new = 0
    for person in people:
        _attendance, created = record_attendance(workshop.meeting, person, by, workshop)
        new += created
    return new


@transaction.atomic
def undo_attendance(meeting: Meeting, person: User, workshop: Workshop | None = None) -> bool:
    """Undo a mistaken tick; returns whether anything was removed."""
    _check_workshop_of(meeting, workshop)
    deleted, _details = Attendance.objects.filter(
        person=person, meeting=meeting, workshop=workshop
    ).delete()
    if deleted:
        request_membership_recompute([person.pk])
    return bool(deleted)


@transaction.atomic
def register_walk_in(
    meeting: Meeting,
    display_name: str,
    by: User | None,
    email: str | None = None,
    workshop: Workshop | None = None,
    *,
    client_id=None,
) -> tuple[User, bool]:
    """Someone new at the door: find or register them, then tick them present.

    Returns (person, registered). An e-mail already known reuses that person; without an e-mail, a
    person of the same name already ticked at this meeting is reused, so a double tap registers
    nobody twice. A new person with an e-mail is invited to claim the account.
    """

    if client_id is not None:
        # This walk-in was sent before (a retry, or a replay from the phone's queue), and perhaps
        # undone since: nobody is registered or ticked again.
        applied = AppliedTick.objects.filter(client_id=client_id).select_related("person").first()
        if applied is not None:
            return applied.person, False
    display_name = " ".join(display_name.split())
    email = (email or "").strip().lower() or None
    if not display_name:
        raise WorkshopError(_("Write the person's name."))
    if meeting.is_cancelled:
        raise WorkshopError(_("This meeting is cancelled."))
    person = None
    if email:
        person = User.objects.filter(email__iexact=email).first()
    else:
        person = (
            User.objects.filter(
                email=None, display_name__iexact=display_name, attendances__meeting=meeting
            )
            .order_by("pk")
            .first()
        )
    registered = person is None
    if registered:
        person = register_at_door(display_name, email)
        if email:
            enqueue_on_commit("assembly.send_claim_invitation", user_id=person.pk)
    record_attendance(meeting, person, by, workshop, client_id=client_id)
    return person, registered


def search_people(text: str, limit: int = 15):
    return (
        User.objects.filter(is_active=True)
        .search(text)
        .only("display_name", "email")
        .order_by("display_name", "pk")[:limit]
    )


# --- The door's list -----------------------------------------------------------------------------

RECENT_MEETINGS_ON_THE_LIST = 3


def door_list(meeting: Meeting) -> list[tuple[User, list[Workshop]]]:
    """Who to expect at the door, before anyone is ticked: the people signed up to the meeting's
    workshops, then its hosts (of the meeting or of a workshop), then the people who attended one
    of the last 3 meetings; each with the workshops they signed up to. Three queries."""
    signups = (
        WorkshopSignup.objects.filter(workshop__meeting=meeting, workshop__hidden=False)
        .filter(person__is_active=True)
        .select_related("person", "workshop")
        .order_by("person__display_name", "person__pk", "workshop__title")
    )
    rows: dict[int, tuple[User, list[Workshop]]] = {}
    for signup in signups:
        rows.setdefault(signup.person_id, (signup.person, []))[1].append(signup.workshop)
    recent = (
        Meeting.objects.filter(starts_at__lt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-starts_at")
        .values("pk")[:RECENT_MEETINGS_ON_THE_LIST]
    )
    hosting = (
        Q(hosted_meetings=meeting)
        | Q(facilitated_workshops__meeting=meeting, facilitated_workshops__hidden=False)
        | Q(proposed_workshops__meeting=meeting, proposed_workshops__hidden=False)
    )
    people = User.objects.filter(is_active=True).only("display_name", "email")
    for group in (
        people.filter(pk__in=User.objects.filter(hosting).values("pk")),
        people.filter(pk__in=Attendance.objects.filter(meeting__in=recent).values("person")),
    ):
        for person in group.order_by("display_name", "pk"):
            rows.setdefault(person.pk, (person, []))
    return list(rows.values())


# --- A meeting's life ----------------------------------------------------------------------------


def mark_meetings_held(now=None) -> int:
    """Planned meetings whose end has passed become held; returns how many changed.

    One conditional update: running it twice, or from two workers, changes each meeting once.
    """
    now = now or timezone.now()
    return Meeting.objects.filter(status=Meeting.Status.PLANNED, ends_at__lt=now).update(
        status=Meeting.Status.HELD
    )
