"""The e-mails of gatherings, each sent once through the delivery log (assembly.notifications):
topic "gathering-session:<id>", and a kind per event — "promoted" (a place freed on the waitlist),
"facilitating" (an assignment), "split" (an organiser told of the split threshold),
"review:<state>" (the proposer told of the organisers' answer) and "changed:<time>" (a change after
publication, one per change). The delivery log makes a retried task send nothing twice.

Each follows the person's choice for the topic "gatherings" (/me/notifications/), like every other
e-mail of the assembly: as it happens → an e-mail with the footer saying why it came and a
one-click unsubscribe (RFC 8058); weekly → an item of their digest; never → nothing."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly import notifications
from assembly.models import Topic, User
from assembly.notifications import digest, topics

from . import services
from .models import Session, SessionRegistration

# Each completes "You receive this because …", truthfully.
REASONS = {
    "promoted": _(
        "you joined the waitlist of this session of a gathering, and chose to hear about "
        "gatherings as it happens."
    ),
    "facilitating": _(
        "the organisers of this gathering made you a facilitator of this session, and you chose "
        "to hear about gatherings as it happens."
    ),
    "split": _("you organise this gathering, and chose to hear about gatherings as it happens."),
    "review": _(
        "you proposed this session to the gathering's call, and chose to hear about gatherings "
        "as it happens."
    ),
    "changed": _(
        "you registered for this session of a gathering, and chose to hear about gatherings as "
        "it happens."
    ),
}

# What each kind of item says in the weekly digest of those who chose it for gatherings.
DIGEST_LABELS = {
    "gathering_promoted": _("A place freed up for you"),
    "gathering_facilitating": _("You facilitate a session"),
    "gathering_split": _("A session passed its split threshold"),
    "gathering_review": _("The organisers answered your proposal"),
    "gathering_changed": _("A session you registered for changed"),
}


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
        message = notifications.render_email(
            person,
            f"gatherings/email/{template}",
            {"session": session, "gathering": session.gathering, **context},
        )
        return topics.decorate(message, person, Topic.GATHERINGS, REASONS[template])

    return notifications.Outgoing(person=person, topic=topic(session), kind=kind, build=build)


def _tell(session: Session, people, kind: str, template: str, *, anchor="", **context):
    """E-mail those who hear about gatherings at once, put an item in the digest of those who
    read it weekly; those who turned gatherings off hear nothing. `anchor` tells apart events
    of one kind about one session (each change), so that each reaches the digest once."""
    at_once, weekly = digest.split(Topic.GATHERINGS, people)
    digest.add_items(
        weekly,
        topic=Topic.GATHERINGS,
        kind=f"gathering_{template}",
        group_key=topic(session),
        group_title=f"{session.gathering.title} · {session.title}",
        title=session.title,
        url=session.get_absolute_url() + anchor,
        happened_at=timezone.now(),
    )
    return notifications.deliver(
        [_outgoing(session, person, kind, template, **context) for person in at_once]
    )


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
    return _tell(session, promoted, "promoted", "promoted")


def send_assignment_notice(session_id: int, person_id: int) -> notifications.Report:
    session = _session(session_id)
    if session is None or not session.facilitators.filter(pk=person_id).exists():
        return notifications.Report()
    return _tell(session, User.objects.filter(pk=person_id), "facilitating", "facilitating")


def send_split_notice(session_id: int) -> notifications.Report:
    session = _session(session_id)
    if session is None:
        return notifications.Report()
    organisers = User.objects.filter(gathering_organisers__gathering=session.gathering_id)
    count = session.registrations.registered().count()
    threshold = services.split_threshold(session)
    return _tell(session, organisers, "split", "split", count=count, threshold=threshold)


def send_review_notice(session_id: int, state: str) -> notifications.Report:
    session = _session(session_id)
    if session is None or session.proposed_by_id is None or session.state != state:
        return notifications.Report()
    author = User.objects.filter(pk=session.proposed_by_id)
    return _tell(session, author, f"review:{state}", "review", anchor=f"#review-{state}")


def send_change_notices(session_id: int, change: str) -> notifications.Report:
    session = _session(session_id)
    if session is None:
        return notifications.Report()
    people = User.objects.filter(gathering_session_registrations__session=session)
    return _tell(
        session, people, f"changed:{change}"[:60], "changed", anchor=f"#changed-{change}"[:60]
    )
