"""The e-mails of gatherings, each sent once through the delivery log (assembly.notifications):
topic "gathering-session:<id>", and a kind per event — "promoted" (a place freed on the waitlist),
"facilitating" (an assignment), "split" (an organiser told of the split threshold),
"review:<state>" (the proposer told of the organisers' answer) and "changed:<time>" (a change after
publication, one per change). The delivery log makes a retried task send nothing twice."""

from assembly import notifications
from assembly.models import User

from . import services
from .models import Session, SessionRegistration


def topic(session: Session) -> str:
    return f"gathering-session:{session.pk}"


def _session(session_id: int) -> Session | None:
    return (
        Session.objects.select_related("gathering", "format", "site__venue", "room", "stop__site")
        .filter(pk=session_id)
        .first()
    )


def _outgoing(session: Session, person, kind: str, template: str, **context):
    def build():
        return notifications.render_email(
            person,
            f"gatherings/email/{template}",
            {"session": session, "gathering": session.gathering, **context},
        )

    return notifications.Outgoing(person=person, topic=topic(session), kind=kind, build=build)


def send_promotion_notices(session_id: int, person_ids: list[int]) -> notifications.Report:
    """Tell the people promoted from the waitlist, if they still hold their place."""
    session = _session(session_id)
    if session is None:
        return notifications.Report()
    promoted = User.objects.filter(
        pk__in=SessionRegistration.objects.filter(
            session=session,
            person__in=person_ids,
            state=SessionRegistration.State.REGISTERED,
        ).values("person")
    )
    return notifications.deliver(
        [_outgoing(session, person, "promoted", "promoted") for person in promoted]
    )


def send_assignment_notice(session_id: int, person_id: int) -> notifications.Report:
    session = _session(session_id)
    person = User.objects.filter(pk=person_id).first()
    if session is None or person is None or not session.facilitators.filter(pk=person_id).exists():
        return notifications.Report()
    return notifications.deliver([_outgoing(session, person, "facilitating", "facilitating")])


def send_split_notice(session_id: int) -> notifications.Report:
    session = _session(session_id)
    if session is None:
        return notifications.Report()
    organisers = User.objects.filter(gathering_organisers__gathering=session.gathering_id)
    count = session.registrations.registered().count()
    threshold = services.split_threshold(session)
    return notifications.deliver(
        [
            _outgoing(session, person, "split", "split", count=count, threshold=threshold)
            for person in organisers
        ]
    )


def send_review_notice(session_id: int, state: str) -> notifications.Report:
    session = _session(session_id)
    if session is None or session.proposed_by_id is None or session.state != state:
        return notifications.Report()
    person = session.proposed_by
    return notifications.deliver([_outgoing(session, person, f"review:{state}", "review")])


def send_change_notices(session_id: int, change: str) -> notifications.Report:
    session = _session(session_id)
    if session is None:
        return notifications.Report()
    people = User.objects.filter(gathering_session_registrations__session=session)
    return notifications.deliver(
        [_outgoing(session, person, f"changed:{change}"[:60], "changed") for person in people]
    )
