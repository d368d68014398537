"""The rules of gatherings and date polls: each a function named by verb, one transaction each,
the row whose invariant it protects locked first. Views, tasks, the admin and seed_demo call them.

Which row each lock protects:
- the gathering's row orders every placement on its grid and every facilitator assignment, so that
  two organisers never put two sessions in one room at one time, nor one person in two places;
- a session's row orders its registrations, so that its places and its waitlist stay exact;
- the gathering's row also orders registrations for the gathering itself (its capacity).
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assembly.domain import DomainError
from assembly.tasking import enqueue_on_commit
from workshops import services as workshop_services
from workshops.models import Meeting

from . import revisions
from .models import (
    EDITABLE_FIELDS,
    Format,
    Gathering,
    Organiser,
    Parcours,
    Poll,
    PollAnswer,
    PollChoice,
    PollDate,
    Registration,
    Room,
    Session,
    SessionRegistration,
    Site,
    Stop,
    Track,
    Volunteer,
    formats_of,
)

logger = logging.getLogger(__name__)

# How long a poll's meeting lasts when it becomes one, and the welcome desk's hours.
POLL_MEETING_LENGTH = datetime.timedelta(hours=2)
DESK_OPENS = datetime.time(8, 0)
DESK_CLOSES = datetime.time(20, 0)


class GatheringError(DomainError):
    """A rule said no; the message is translated and meant for the person who asked."""


# --- The gathering -------------------------------------------------------------------------------


def _check_days(starts_on, ends_on) -> None:
    if ends_on < starts_on:
        raise GatheringError(_("The last day cannot come before the first day."))


# The formats every gathering offers (their names are translated in Format.BUILT_IN), with the
# threshold each is split past. The migration that adds them and this function agree.
BUILT_IN_FORMATS = {
    "plenary": Format.SplitRule.PLENARY,
    "workshop": Format.SplitRule.WORKSHOP,
    "walk": Format.SplitRule.NONE,
    "fishbowl": Format.SplitRule.WORKSHOP,
    "world-cafe": Format.SplitRule.WORKSHOP,
    "meal": Format.SplitRule.NONE,
    "welcome-desk": Format.SplitRule.NONE,
}


def ensure_built_in_formats() -> None:
    """Put back any built-in format that is missing (a database emptied by hand or by a test)."""
    present = set(Format.objects.filter(gathering=None).values_list("key", flat=True))
    Format.objects.bulk_create(
        [
            Format(gathering=None, key=key, name=str(Format.BUILT_IN[key]), split_rule=rule)
            for key, rule in BUILT_IN_FORMATS.items()
            if key not in present
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def create_gathering(*, by, title: str, slug: str, starts_on, ends_on, **fields) -> Gathering:
    """A new gathering; the person who creates it is its first organiser."""
    _check_days(starts_on, ends_on)
    if Gathering.objects.filter(slug=slug).exists():
        raise GatheringError(_("Another gathering already uses this short name."))
    gathering = Gathering.objects.create(
        title=title.strip(),
        slug=slug,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
        **fields,
    )
    Organiser.objects.create(gathering=gathering, person=by)
    ensure_built_in_formats()
    return gathering


GATHERING_FIELDS = set(EDITABLE_FIELDS)


@transaction.atomic
def update_gathering(gathering: Gathering, **fields) -> Gathering:
    unknown = set(fields) - GATHERING_FIELDS
    if unknown:
        raise ValueError(f"not a gathering field: {sorted(unknown)}")
    gathering = Gathering.objects.select_for_update().get(pk=gathering.pk)
    for name, value in fields.items():
        setattr(gathering, name, value)
    _check_days(gathering.starts_on, gathering.ends_on)
    gathering.save()
    if gathering.meeting_id is not None:
        # The welcome desk's meeting follows the organisers' say, which membership reads.
        workshop_services.set_counts_for_membership(
            gathering.meeting, gathering.counts_for_membership
        )
    return gathering


@transaction.atomic
def add_organiser(gathering: Gathering, person) -> Organiser:
    return Organiser.objects.get_or_create(gathering=gathering, person=person)[0]


@transaction.atomic
def add_site(gathering: Gathering, venue, *, rooms=()) -> Site:
    site, _created = Site.objects.get_or_create(
        gathering=gathering, venue=venue, defaults={"position": gathering.sites.count()}
    )
    for name in rooms:
        Room.objects.get_or_create(site=site, name=name.strip())
    return site


def _named(name: str, refusal: str) -> str:
    name = name.strip()
    if not name:
        raise GatheringError(refusal)
    return name


@transaction.atomic
def add_room(site: Site, name: str) -> Room:
    name = _named(name, _("A room needs a name."))
    return Room.objects.get_or_create(site=site, name=name)[0]


@transaction.atomic
def add_track(gathering: Gathering, name: str) -> Track:
    name = _named(name, _("A track needs a name."))
    return Track.objects.get_or_create(gathering=gathering, name=name)[0]


@transaction.atomic
def add_format(gathering: Gathering, name: str, split_rule=Format.SplitRule.WORKSHOP) -> Format:
    """Organisers extend the list of formats for their gathering."""
    name = name.strip()
    key = slugify(name)[:40]
    if not key:
        raise GatheringError(_("A format needs a name with letters or digits."))
    existing = formats_of(gathering).filter(key=key).first()
    if existing is not None:
        return existing
    return Format.objects.create(gathering=gathering, key=key, name=name, split_rule=split_rule)


def _within_days(gathering: Gathering, moment) -> bool:
    day = timezone.localtime(moment).date()
    return gathering.starts_on <= day <= gathering.ends_on


@transaction.atomic
def add_parcours(gathering: Gathering, title: str, stops, *, track=None) -> Parcours:
    """A walk with its stops, in order: `stops` is a list of (site, arrives_at)."""
    gathering = Gathering.objects.select_for_update().get(pk=gathering.pk)
    title = _named(title, _("A walk needs a title."))
    _check_belongs(gathering, track=track)
    previous = None
    for site, arrives_at in stops:
        _check_stop(gathering, site, arrives_at)
        if previous is not None and arrives_at <= previous:
            raise GatheringError(_("The stops of a walk follow each other in time."))
        previous = arrives_at
    parcours = Parcours.objects.create(gathering=gathering, title=title, track=track)
    Stop.objects.bulk_create(
        [
            Stop(parcours=parcours, site=site, position=position, arrives_at=arrives_at)
            for position, (site, arrives_at) in enumerate(stops, start=1)
        ]
    )
    return parcours


def _check_stop(gathering: Gathering, site: Site, arrives_at) -> None:
    if site.gathering_id != gathering.pk:
        raise GatheringError(_("Each stop must be at one of the gathering's sites."))
    if not _within_days(gathering, arrives_at):
        raise GatheringError(_("Each stop must be on one of the gathering's days."))


def _locked_parcours(parcours: Parcours) -> Parcours:
    """The walk under its gathering's lock, which orders every change to its stops."""
    Gathering.objects.select_for_update().filter(pk=parcours.gathering_id).first()
    return Parcours.objects.select_related("gathering").get(pk=parcours.pk)


def _number_stops(parcours: Parcours, stops: list[Stop]) -> None:
    """Give the stops positions 1, 2, 3… in the order given. Each position is unique in the walk:
    the stops step aside past the last position first, then take their places."""
    aside = len(stops) + max((stop.position for stop in stops), default=0)
    for offset, stop in enumerate(stops, start=1):
        stop.position = aside + offset
    Stop.objects.bulk_update(stops, ["position"])
    for position, stop in enumerate(stops, start=1):
        stop.position = position
    Stop.objects.bulk_update(stops, ["position"])


@transaction.atomic
def rename_parcours(parcours: Parcours, title: str, *, track=None) -> Parcours:
    parcours = _locked_parcours(parcours)
    title = _named(title, _("A walk needs a title."))
    _check_belongs(parcours.gathering, track=track)
    parcours.title, parcours.track = title, track
    parcours.save(update_fields=["title", "track"])
    return parcours


@transaction.atomic
def add_stop(parcours: Parcours, site: Site, arrives_at) -> Stop:
    """A stop at a site at a time, taking its place in the walk's timetable."""
    parcours = _locked_parcours(parcours)
    _check_stop(parcours.gathering, site, arrives_at)
    stops = list(parcours.stops.all())
    if any(stop.arrives_at == arrives_at for stop in stops):
        raise GatheringError(_("Another stop of this walk is at that time."))
    stop = Stop.objects.create(
        parcours=parcours, site=site, arrives_at=arrives_at, position=len(stops) + 1
    )
    _number_stops(parcours, sorted([*stops, stop], key=lambda each: each.arrives_at))
    return stop


@transaction.atomic
def move_stop(stop: Stop, *, up: bool) -> Stop:
    """Visit this stop one place earlier (or later). The walk keeps its timetable: the two stops
    that change places exchange their times, so the stops still follow each other in time."""
    parcours = _locked_parcours(stop.parcours)
    stops = list(parcours.stops.all())
    index = next(i for i, each in enumerate(stops) if each.pk == stop.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(stops):
        raise GatheringError(
            _("This stop is already the first.") if up else _("This stop is already the last.")
        )
    moved, neighbour = stops[index], stops[other]
    moved.arrives_at, neighbour.arrives_at = neighbour.arrives_at, moved.arrives_at
    Stop.objects.bulk_update([moved, neighbour], ["arrives_at"])
    stops[index], stops[other] = neighbour, moved
    _number_stops(parcours, stops)
    return moved


@transaction.atomic
def remove_stop(stop: Stop) -> None:
    """Take a stop out of its walk; the stops after it move up. A stop where a session is placed
    stays until the session is moved."""
    parcours = _locked_parcours(stop.parcours)
    if Session.objects.filter(stop=stop).exists():
        raise GatheringError(
            _("A session is placed at this stop: move it elsewhere on the grid first.")
        )
    Stop.objects.filter(pk=stop.pk).delete()
    _number_stops(parcours, list(parcours.stops.all()))


def _stamp_once(row, field: str, now):
    """Lock the row and set its `field` to now, unless it was set already: doing it twice (two
    clicks, two organisers) keeps the first moment."""
    row = type(row).objects.select_for_update().get(pk=row.pk)
    if getattr(row, field) is None:
        setattr(row, field, now or timezone.now())
        row.save(update_fields=[field])
    return row


@transaction.atomic
def publish_programme(gathering: Gathering, *, now=None) -> Gathering:
    """From now on, a change to a session is announced to the people registered to it."""
    return _stamp_once(gathering, "published_at", now)


def write_minutes(
    gathering: Gathering, text: str, *, based_on: int | None = None, by=None
) -> Gathering:
    """The gathering's minutes, a new revision kept with the earlier ones; refused with
    StaleNotes when based on a stale revision (revisions.write)."""
    return revisions.write(gathering, "minutes", text, based_on=based_on, by=by)


@transaction.atomic
def open_welcome_desk(gathering: Gathering) -> Meeting:
    """The meeting whose door is the welcome desk: a check-in there is attendance at that meeting,
    so the gathering counts once for membership, whatever the number of its sessions, when its
    organisers say so (`counts_for_membership`, which the meeting carries too)."""
    gathering = Gathering.objects.select_for_update().get(pk=gathering.pk)
    if gathering.meeting_id:
        return gathering.meeting
    zone = timezone.get_current_timezone()
    site = gathering.sites.select_related("venue").first()
    meeting = workshop_services.create_meeting(
        kind=Meeting.Kind.OTHER,
        title=gathering.title,
        starts_at=datetime.datetime.combine(gathering.starts_on, DESK_OPENS, tzinfo=zone),
        ends_at=datetime.datetime.combine(gathering.ends_on, DESK_CLOSES, tzinfo=zone),
        venue=site.venue if site else None,
    )
    meeting = workshop_services.set_counts_for_membership(meeting, gathering.counts_for_membership)
    gathering.meeting = meeting
    gathering.save(update_fields=["meeting"])
    return meeting


# --- Sessions: the call, the grid ----------------------------------------------------------------


def _touch(session: Session, now=None) -> None:
    session.updated_at = now or timezone.now()


@transaction.atomic
def propose_session(
    gathering: Gathering,
    *,
    by,
    title: str,
    format: Format,
    description: str = "",
    needs: str = "",
    preferred_slot: str = "",
    track: Track | None = None,
    now=None,
) -> Session:
    """Anyone signed in answers the call; the proposal is visible to all at once."""
    if not gathering.call_open:
        raise GatheringError(_("The call for sessions is closed."))
    _check_belongs(gathering, format=format, track=track)
    now = now or timezone.now()
    return Session.objects.create(
        gathering=gathering,
        title=title.strip(),
        format=format,
        description=description,
        needs=needs,
        preferred_slot=preferred_slot,
        track=track,
        proposed_by=by,
        state=Session.State.PROPOSED,
        created_at=now,
        updated_at=now,
    )


@transaction.atomic
def revise_proposal(session: Session, *, now=None, **fields) -> Session:
    """The proposer answers a request for changes: the proposal goes back to the organisers."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    allowed = {"title", "description", "needs", "preferred_slot", "format", "track"}
    if set(fields) - allowed:
        raise ValueError(f"not a proposal field: {sorted(set(fields) - allowed)}")
    if session.state not in (Session.State.PROPOSED, Session.State.CHANGES_REQUESTED):
        raise GatheringError(_("This proposal was already answered."))
    _check_belongs(session.gathering, format=fields.get("format"), track=fields.get("track"))
    for name, value in fields.items():
        setattr(session, name, value)
    session.state = Session.State.PROPOSED
    _touch(session, now)
    session.save()
    return session


class Review:
    ACCEPT = "accept"
    CHANGES = "changes"
    DECLINE = "decline"
    CHOICES = (ACCEPT, CHANGES, DECLINE)


@transaction.atomic
def review_proposal(session: Session, *, answer: str, message: str = "", now=None) -> Session:
    """Organisers accept, ask for changes or decline, with a message to the proposer."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if answer not in Review.CHOICES:
        raise GatheringError(_("Accept, ask for changes or decline."))
    if answer in (Review.CHANGES, Review.DECLINE) and not message.strip():
        raise GatheringError(_("Say why in a message to the person who proposed it."))
    if session.is_placed and answer != Review.ACCEPT:
        raise GatheringError(_("Take the session off the grid first."))
    session.state = {
        Review.ACCEPT: Session.State.ACCEPTED,
        Review.CHANGES: Session.State.CHANGES_REQUESTED,
        Review.DECLINE: Session.State.DECLINED,
    }[answer]
    session.organisers_message = message.strip()
    _touch(session, now)
    session.save()
    if session.proposed_by_id:
        enqueue_on_commit(
            "gatherings.send_review_notice", session_id=session.pk, state=session.state
        )
    return session


def _check_belongs(gathering: Gathering, *, format=None, track=None, site=None, room=None):
    if format is not None and format.gathering_id not in (None, gathering.pk):
        raise GatheringError(_("Choose one of this gathering's formats."))
    if track is not None and track.gathering_id != gathering.pk:
        raise GatheringError(_("Choose one of this gathering's tracks."))
    if site is not None and site.gathering_id != gathering.pk:
        raise GatheringError(_("Choose one of this gathering's sites."))
    if room is not None and room.site.gathering_id != gathering.pk:
        raise GatheringError(_("Choose one of this gathering's rooms."))


def _facilitator_clash(gathering_id, people_ids, starts_at, ends_at, exclude_pk):
    return (
        Session.objects.on_grid()
        .filter(gathering_id=gathering_id, facilitators__in=people_ids)
        .overlapping(starts_at, ends_at)
        .exclude(pk=exclude_pk)
        .first()
    )


def _check_placement(session: Session, starts_at, ends_at, site, room, stop) -> None:
    gathering = session.gathering
    if ends_at <= starts_at:
        raise GatheringError(_("A session must end after it starts."))
    if not (_within_days(gathering, starts_at) and _within_days(gathering, ends_at)):
        raise GatheringError(_("A session must take place on the gathering's days."))
    _check_belongs(gathering, site=site, room=room)
    if stop is not None and stop.parcours.gathering_id != gathering.pk:
        raise GatheringError(_("Choose a stop of one of this gathering's walks."))
    if stop is None and site is None:
        raise GatheringError(_("Choose a site, a room or a stop of a walk."))
    if stop is None:
        # A walk's stops are outdoors and never clash; a room (or a site without rooms) does.
        clash = (
            Session.objects.on_grid()
            .filter(gathering=gathering, site=site, room=room, stop=None)
            .overlapping(starts_at, ends_at)
            .exclude(pk=session.pk)
            .first()
        )
        if clash is not None:
            raise GatheringError(
                _(
                    "“%(other)s” is already in this room at that time. A split group needs its "
                    "own room or space."
                )
                % {"other": clash.title}
            )
    people = list(session.facilitators.values_list("pk", flat=True)) if session.pk else []
    clash = _facilitator_clash(gathering.pk, people, starts_at, ends_at, session.pk)
    if clash is not None:
        raise GatheringError(
            _("A facilitator of this session facilitates “%(other)s” at the same time.")
            % {"other": clash.title}
        )


@transaction.atomic
def place_session(
    session: Session, *, starts_at, ends_at, site=None, room=None, stop=None, now=None
) -> Session:
    """Put an accepted session on the grid, or move it there."""
    Gathering.objects.select_for_update().filter(pk=session.gathering_id).first()
    session = Session.objects.select_for_update().select_related("gathering").get(pk=session.pk)
    if session.state != Session.State.ACCEPTED:
        raise GatheringError(_("Only an accepted session goes on the grid."))
    if room is not None:
        site = room.site
    if stop is not None:
        site, room = stop.site, None
    _check_placement(session, starts_at, ends_at, site, room, stop)
    was_placed = session.is_placed
    session.starts_at, session.ends_at = starts_at, ends_at
    session.site, session.room, session.stop = site, room, stop
    _touch(session, now)
    session.save()
    if was_placed:
        _announce_change(session)
    return session


@transaction.atomic
def unplace_session(session: Session, *, now=None) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.is_placed:
        session.starts_at = session.ends_at = None
        session.site = session.room = session.stop = None
        _touch(session, now)
        session.save()
        _announce_change(session)
    return session


@transaction.atomic
def add_session(gathering: Gathering, *, title: str, format: Format, now=None, **fields) -> Session:
    """Organisers add a session straight to the programme (accepted), placed if a time is given."""
    _check_belongs(gathering, format=format, track=fields.get("track"))
    placement = {k: fields.pop(k, None) for k in ("starts_at", "ends_at", "site", "room", "stop")}
    facilitators = fields.pop("facilitators", [])
    now = now or timezone.now()
    session = Session.objects.create(
        gathering=gathering,
        title=title.strip(),
        format=format,
        state=Session.State.ACCEPTED,
        created_at=now,
        updated_at=now,
        **fields,
    )
    for person in facilitators:
        assign_facilitator(session, person)
    if placement["starts_at"] is not None:
        session = place_session(session, **placement, now=now)
    return session


SESSION_FIELDS = {
    "title",
    "description",
    "format",
    "track",
    "capacity",
    "chantier",
    "online_link",
    "needs",
}


@transaction.atomic
def update_session(session: Session, *, now=None, **fields) -> Session:
    """Change what a session is; after publication its registrants are told."""
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise ValueError(f"not a session field: {sorted(unknown)}")
    session = Session.objects.select_for_update().select_related("gathering").get(pk=session.pk)
    _check_belongs(session.gathering, format=fields.get("format"), track=fields.get("track"))
    changed = [name for name, value in fields.items() if getattr(session, name) != value]
    if not changed:
        return session
    for name in changed:
        setattr(session, name, fields[name])
    _touch(session, now)
    session.save()
    if "capacity" in changed:
        _promote_waitlisted(session, now or timezone.now())
    if set(changed) & {"title", "description", "online_link", "format"}:
        _announce_change(session)
    return session


def _announce_change(session: Session) -> None:
    """After publication, registrants hear of each change once (the change's time names it)."""
    if session.gathering.published_at is None or not session.registrations.exists():
        return
    enqueue_on_commit(
        "gatherings.send_change_notices",
        session_id=session.pk,
        change=session.updated_at.isoformat(),
    )


def write_session_notes(
    session: Session, text: str, *, based_on: int | None = None, by=None
) -> Session:
    """A session's notes, a new revision kept with the earlier ones; refused with StaleNotes when
    based on a stale revision, as for workshops (revisions.write)."""
    return revisions.write(session, "notes", text, based_on=based_on, by=by)


# --- Facilitators --------------------------------------------------------------------------------


@transaction.atomic
def volunteer_as_facilitator(
    gathering: Gathering, person, *, formats=(), availability: str = ""
) -> Volunteer:
    """Join the gathering's facilitators' pool, or change one's formats and availability."""
    volunteer, _created = Volunteer.objects.update_or_create(
        gathering=gathering, person=person, defaults={"availability": availability}
    )
    for format in formats:
        _check_belongs(gathering, format=format)
    volunteer.formats.set(formats)
    return volunteer


@transaction.atomic
def withdraw_volunteering(gathering: Gathering, person) -> bool:
    deleted, _rows = Volunteer.objects.filter(gathering=gathering, person=person).delete()
    return bool(deleted)


@transaction.atomic
def assign_facilitator(session: Session, person) -> Session:
    """A person facilitates the session; refused if it overlaps another they facilitate. The
    person is told once by e-mail."""
    Gathering.objects.select_for_update().filter(pk=session.gathering_id).first()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.facilitators.filter(pk=person.pk).exists():
        return session
    if session.is_placed:
        clash = _facilitator_clash(
            session.gathering_id, [person.pk], session.starts_at, session.ends_at, session.pk
        )
        if clash is not None:
            raise GatheringError(
                _("%(person)s already facilitates “%(other)s” at that time.")
                % {"person": person, "other": clash.title}
            )
    session.facilitators.add(person)
    enqueue_on_commit(
        "gatherings.send_assignment_notice", session_id=session.pk, person_id=person.pk
    )
    return session


@transaction.atomic
def unassign_facilitator(session: Session, person) -> None:
    session.facilitators.remove(person)


# --- Registration --------------------------------------------------------------------------------


@transaction.atomic
def register(gathering: Gathering, person, *, now=None) -> Registration:
    """Register for the gathering: idempotent; refused when closed or full."""
    gathering = Gathering.objects.select_for_update().get(pk=gathering.pk)
    existing = Registration.objects.filter(gathering=gathering, person=person).first()
    if existing is not None:
        return existing
    if not gathering.registration_open:
        raise GatheringError(_("Registration for this gathering is closed."))
    if gathering.capacity is not None and gathering.registrations.count() >= gathering.capacity:
        raise GatheringError(
            _("This gathering is full (%(capacity)s places).") % {"capacity": gathering.capacity}
        )
    return Registration.objects.create(
        gathering=gathering, person=person, registered_at=now or timezone.now()
    )


@transaction.atomic
def withdraw_registration(gathering: Gathering, person) -> bool:
    deleted, _rows = Registration.objects.filter(gathering=gathering, person=person).delete()
    return bool(deleted)


def split_threshold(session: Session) -> int | None:
    """The charter's rule: past this many registrations, organisers are offered a split."""
    rule = session.format.split_rule
    if rule == Format.SplitRule.PLENARY:
        return session.gathering.plenary_split_threshold
    if rule == Format.SplitRule.WORKSHOP:
        return session.gathering.workshop_split_threshold
    return None


@transaction.atomic
def register_for_session(session: Session, person, *, now=None) -> SessionRegistration:
    """A place if there is one, else the end of the waitlist. Idempotent. The session's row lock
    orders people who ask at once, so the places and the waitlist's order are exact: the time a
    person joined is read once they hold the lock, so it follows the order of the places."""
    session = (
        Session.objects.select_for_update().select_related("gathering", "format").get(pk=session.pk)
    )
    now = now or timezone.now()
    existing = SessionRegistration.objects.filter(session=session, person=person).first()
    if existing is not None:
        return existing
    if not session.is_placed:
        raise GatheringError(_("This session is not on the programme."))
    if not session.gathering.registration_open:
        raise GatheringError(_("Registration for this gathering is closed."))
    if session.ends_at <= now:
        raise GatheringError(_("This session is over."))
    registered = session.registrations.registered().count()
    full = session.capacity is not None and registered >= session.capacity
    registration = SessionRegistration.objects.create(
        session=session,
        person=person,
        state=SessionRegistration.State.WAITLISTED
        if full
        else SessionRegistration.State.REGISTERED,
        joined_at=now,
    )
    threshold = split_threshold(session)
    if (
        not full
        and threshold is not None
        and registered + 1 > threshold
        and session.split_noticed_at is None
    ):
        session.split_noticed_at = now
        session.save(update_fields=["split_noticed_at"])
        enqueue_on_commit("gatherings.send_split_notice", session_id=session.pk)
    return registration


def _promote_waitlisted(session: Session, now) -> list[SessionRegistration]:
    """Fill free places from the waitlist, in the order people joined it (under the session's
    row lock, which the caller holds)."""
    if session.capacity is None:
        waiting = list(session.registrations.waitlisted())
    else:
        free = session.capacity - session.registrations.registered().count()
        if free <= 0:
            return []
        waiting = list(session.registrations.waitlisted()[:free])
    for registration in waiting:
        registration.state = SessionRegistration.State.REGISTERED
        registration.promoted_at = now
        registration.save(update_fields=["state", "promoted_at"])
    if waiting:
        enqueue_on_commit(
            "gatherings.send_promotion_notices",
            session_id=session.pk,
            person_ids=[registration.person_id for registration in waiting],
        )
    return waiting


@transaction.atomic
def withdraw_from_session(session: Session, person, *, now=None) -> list[SessionRegistration]:
    """Leave a session (or its waitlist); a freed place goes to the first on the waitlist, who is
    told by e-mail. Returns the registrations promoted."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    deleted, _rows = SessionRegistration.objects.filter(session=session, person=person).delete()
    if not deleted:
        return []
    return _promote_waitlisted(session, now or timezone.now())


@transaction.atomic
def split_session(session: Session, *, places, now=None) -> list[Session]:
    """The charter's rule applied: the session becomes parallel groups at the same time, one per
    extra place (a room, or a site without rooms), each to get its own facilitators. The
    registered people are shared out in the order they joined, the first ones staying; each
    group is a session of its own, with the same capacity and the waitlist left where it was."""
    Gathering.objects.select_for_update().filter(pk=session.gathering_id).first()
    session = Session.objects.select_for_update().select_related("gathering").get(pk=session.pk)
    if not session.is_placed or session.stop_id:
        raise GatheringError(_("Only a session placed in a room or on a site can be split."))
    if not places:
        raise GatheringError(_("Choose at least one more room or space for the other groups."))
    now = now or timezone.now()
    count = len(places) + 1
    title = session.title
    groups = [session]
    for number, place in enumerate(places, start=2):
        room = place if isinstance(place, Room) else None
        site = room.site if room else place
        group = Session(
            gathering=session.gathering,
            title=_("%(title)s (group %(number)s)") % {"title": title, "number": number},
            description=session.description,
            format_id=session.format_id,
            track_id=session.track_id,
            state=Session.State.ACCEPTED,
            capacity=session.capacity,
            chantier_id=session.chantier_id,
            online_link=session.online_link,
            created_at=now,
            updated_at=now,
        )
        _check_placement(group, session.starts_at, session.ends_at, site, room, None)
        group.starts_at, group.ends_at, group.site, group.room = (
            session.starts_at,
            session.ends_at,
            site,
            room,
        )
        group.save()
        groups.append(group)
    session.title = _("%(title)s (group %(number)s)") % {"title": title, "number": 1}
    _touch(session, now)
    session.save()
    registered = list(session.registrations.registered().order_by("joined_at", "pk"))
    share = -(-len(registered) // count)  # the first groups take one more when it does not divide
    for index, registration in enumerate(registered[share:]):
        group = groups[1 + index // share] if share else groups[0]
        registration.session = group
        registration.save(update_fields=["session"])
    for group in groups:
        _announce_change(group)
    return groups


def conflicts(sessions) -> set[int]:
    """The ids of sessions that overlap another in the list (a person's own programme)."""
    placed = sorted((s for s in sessions if s.is_placed), key=lambda s: s.starts_at)
    clashing = set()
    for index, session in enumerate(placed):
        for other in placed[index + 1 :]:
            if other.starts_at >= session.ends_at:
                break
            clashing.update({session.pk, other.pk})
    return clashing


# --- Date polls ----------------------------------------------------------------------------------


@transaction.atomic
def create_poll(
    *, by, title: str, dates, description: str = "", gathering=None, chantier=None, now=None
) -> Poll:
    dates = sorted(set(dates))
    if not dates:
        raise GatheringError(_("Give at least one candidate date."))
    poll = Poll.objects.create(
        title=title.strip(),
        description=description,
        created_by=by,
        gathering=gathering,
        chantier=chantier,
        created_at=now or timezone.now(),
    )
    PollDate.objects.bulk_create([PollDate(poll=poll, starts_at=moment) for moment in dates])
    return poll


@transaction.atomic
def answer_poll(poll: Poll, *, name: str, choices: dict, person=None, now=None) -> PollAnswer:
    """Answer yes, if need be or no for each candidate date, under a name, with or without an
    account. A signed-in person's new answer replaces their previous one."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.is_closed:
        raise GatheringError(_("This poll is closed."))
    name = name.strip()
    if not name:
        raise GatheringError(_("Give a name, so that others know who answered."))
    dates = {date.pk: date for date in poll.dates.all()}
    if set(choices) != set(dates):
        raise GatheringError(_("Answer for every date."))
    if not set(choices.values()) <= set(PollChoice.Value.values):
        raise GatheringError(_("Answer yes, if need be or no."))
    if person is not None:
        PollAnswer.objects.filter(poll=poll, person=person).delete()
    answer = PollAnswer.objects.create(
        poll=poll, name=name, person=person, answered_at=now or timezone.now()
    )
    PollChoice.objects.bulk_create(
        [PollChoice(answer=answer, date=dates[pk], value=value) for pk, value in choices.items()]
    )
    return answer


def tally(poll: Poll, dates=None, choices=None) -> list[dict]:
    """For each date, how many said yes and if need be; the best has the most yes, then the most
    "if need be"."""
    dates = list(poll.dates.all()) if dates is None else dates
    if choices is None:
        choices = PollChoice.objects.filter(answer__poll=poll).values_list("date_id", "value")
    counts = {date.pk: {"yes": 0, "maybe": 0, "no": 0} for date in dates}
    for date_id, value in choices:
        counts[date_id][value] += 1
    rows = [{"date": date, **counts[date.pk], "best": False} for date in dates]
    if rows:
        top = max(rows, key=lambda row: (row["yes"], row["maybe"]))
        if top["yes"] or top["maybe"]:
            for row in rows:
                row["best"] = (row["yes"], row["maybe"]) == (top["yes"], top["maybe"])
    return rows


def best_date(poll: Poll):
    best = [row["date"] for row in tally(poll) if row["best"]]
    return best[0] if best else None


@transaction.atomic
def close_poll(poll: Poll, *, now=None) -> Poll:
    return _stamp_once(poll, "closed_at", now)


@transaction.atomic
def make_meeting(poll: Poll, *, date: PollDate | None = None) -> Meeting:
    """A closed poll becomes a meeting at its best date (or the date its creator picks), once."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if not poll.is_closed:
        raise GatheringError(_("Close the poll first."))
    if poll.meeting_id:
        return poll.meeting
    date = date or best_date(poll)
    if date is None or date.poll_id != poll.pk:
        raise GatheringError(_("No date has been chosen yet."))
    meeting = workshop_services.create_meeting(
        kind=Meeting.Kind.OTHER,
        title=poll.title,
        starts_at=date.starts_at,
        ends_at=date.starts_at + POLL_MEETING_LENGTH,
    )
    poll.meeting = meeting
    poll.save(update_fields=["meeting"])
    return meeting


def polls_of(person):
    """Polls a person created or answered."""
    return Poll.objects.filter(Q(created_by=person) | Q(answers__person=person)).distinct()
