"""Who may do what in a gathering. Reading the gathering, its programme and its proposals is open
to everyone; predicates take (person, object) and look up their own facts, so that views and
templates ask the same question. Organisers hold their role for one gathering only."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from assembly.permissions import is_facilitator, is_signed_in

from .models import Gathering, Organiser, Poll, Session, SessionRegistration


def can_create_gathering(person) -> bool:
    return is_facilitator(person)


def is_organiser(person, gathering: Gathering) -> bool:
    if not is_signed_in(person):
        return False
    cache = person.__dict__.setdefault("_gathering_organiser", {})
    if gathering.pk not in cache:
        cache[gathering.pk] = Organiser.objects.filter(gathering=gathering, person=person).exists()
    return cache[gathering.pk]


def can_propose(person, gathering: Gathering) -> bool:
    return is_signed_in(person) and gathering.call_open


def can_register(person, gathering: Gathering) -> bool:
    return is_signed_in(person) and gathering.registration_open


def can_revise(person, session: Session) -> bool:
    """The proposer answers a request for changes."""
    return (
        is_signed_in(person)
        and session.proposed_by_id == person.pk
        and session.state in (Session.State.PROPOSED, Session.State.CHANGES_REQUESTED)
    )


def place_of(person, session: Session) -> SessionRegistration | None:
    if not is_signed_in(person):
        return None
    return SessionRegistration.objects.filter(session=session, person=person).first()


def can_see_online_link(person, session: Session, registration=None) -> bool:
    """The visio link is for the people registered to the session, its facilitators and the
    organisers."""
    if not is_signed_in(person) or not session.online_link:
        return False
    if registration is not None and registration.state == SessionRegistration.State.REGISTERED:
        return True
    return session.facilitators.filter(pk=person.pk).exists() or is_organiser(
        person, session.gathering
    )


def can_write_notes(person, session: Session, registration=None) -> bool:
    return is_signed_in(person) and (
        registration is not None
        or session.facilitators.filter(pk=person.pk).exists()
        or is_organiser(person, session.gathering)
    )


def gathering_for_organiser(request, slug: str) -> Gathering:
    """The gathering, for one of its organisers; 403 for anyone else. Whether the person
    organises it is read in the same query as the gathering (and remembered for is_organiser)."""
    person = request.user
    organises = Organiser.objects.filter(
        gathering=OuterRef("pk"), person_id=person.pk if is_signed_in(person) else None
    )
    gathering = get_object_or_404(
        Gathering.objects.annotate(viewer_organises=Exists(organises)), slug=slug
    )
    if is_signed_in(person):
        person.__dict__.setdefault("_gathering_organiser", {})[gathering.pk] = (
            gathering.viewer_organises
        )
    if not is_organiser(person, gathering):
        raise PermissionDenied
    return gathering


def can_close_poll(person, poll: Poll) -> bool:
    return is_signed_in(person) and poll.created_by_id == person.pk
