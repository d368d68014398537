"""What people are told when a meeting is cancelled, and when a mistaken cancellation is undone.

A cancellation e-mails its hosts and the people signed up to its workshops once each, through
assembly.notifications (topic "meeting:<id>", kind "cancelled"), with the cancelled event attached
so that their calendar updates too. Reinstating the meeting tells the people who may have received
that e-mail (kind "reinstated"). Each (meeting, person, kind) goes out at most once, so a second
cancellation of the same meeting is shown on its page but not e-mailed again.
"""

from django.db.models import Q

from assembly import notifications
from assembly.models import Delivery, Topic, User
from assembly.notifications import topics

from .ical import absolute, build_calendar
from .models import Meeting, Workshop

CANCELLED = "cancelled"
REINSTATED = "reinstated"
# A cancellation claimed for sending may have reached the person, even if never marked sent.
MAY_HAVE_REACHED = [Delivery.State.SENDING, Delivery.State.SENT, Delivery.State.UNCERTAIN]


def topic(meeting: Meeting) -> str:
    return f"meeting:{meeting.pk}"


def recipients(meeting: Meeting):
    """Hosts and people signed up to one of its visible workshops, whatever their reminder choice:
    they planned to come, so they must know."""
    signed_up = Workshop.objects.visible().filter(meeting=meeting).values("signups__person")
    return (
        User.objects.filter(is_active=True, email__isnull=False)
        .filter(Q(pk__in=meeting.hosts.values("pk")) | Q(pk__in=signed_up))
        .order_by("pk")
    )


def reinstatement_recipients(meeting: Meeting):
    """The people the cancellation may have reached."""
    told = Delivery.objects.filter(
        topic=topic(meeting), kind=CANCELLED, state__in=MAY_HAVE_REACHED
    ).values("person")
    return User.objects.filter(is_active=True, email__isnull=False, pk__in=told).order_by("pk")


def outgoing_for(meeting: Meeting, kind: str, person) -> notifications.Outgoing:
    """One notice; the message (and its .ics) is built only if this worker claims the row."""

    def build():
        context = {"meeting": meeting, "meeting_url": absolute(meeting.get_absolute_url())}
        ics = build_calendar([meeting], meeting.title, with_workshops=False)
        message = notifications.render_email(
            person,
            f"workshops/email/{kind}",
            context,
            attachments=[("assemblee.ics", ics, "text/calendar")],
        )
        return topics.decorate(
            message,
            person,
            Topic.ASSEMBLIES,
            topics.REASONS["taking_part" if kind == CANCELLED else "told_cancelled"],
        )

    return notifications.Outgoing(person=person, topic=topic(meeting), kind=kind, build=build)


def send_cancellation_notices(meeting: Meeting, *, now=None) -> notifications.Report:
    """Tell each recipient once. A meeting reinstated before this ran is no longer cancelled, and
    nobody is told."""
    if not meeting.is_cancelled:
        return notifications.Report()
    outgoing = [outgoing_for(meeting, CANCELLED, person) for person in recipients(meeting)]
    return notifications.deliver(outgoing, now=now)


def send_reinstatement_notices(meeting: Meeting, *, now=None) -> notifications.Report:
    """Tell the people the cancellation reached that the meeting takes place after all."""
    if meeting.is_cancelled:
        return notifications.Report()
    outgoing = [
        outgoing_for(meeting, REINSTATED, person) for person in reinstatement_recipients(meeting)
    ]
    return notifications.deliver(outgoing, now=now)


def retried_outgoing(now) -> list[notifications.Outgoing]:
    """Notices a facilitator sent back to "pending" go out with the next batch of reminders, as
    long as they are still true and the meeting has not begun."""
    rows = list(
        Delivery.objects.filter(
            state=Delivery.State.PENDING,
            topic__startswith="meeting:",
            kind__in=[CANCELLED, REINSTATED],
        ).select_related("person")
    )
    if not rows:
        return []
    ids = {int(row.topic.removeprefix("meeting:")) for row in rows}
    meetings = Meeting.objects.select_related("venue").filter(pk__in=ids, starts_at__gt=now)
    by_topic = {topic(meeting): meeting for meeting in meetings}
    outgoing = []
    for row in rows:
        meeting = by_topic.get(row.topic)
        if meeting is not None and meeting.is_cancelled == (row.kind == CANCELLED):
            outgoing.append(outgoing_for(meeting, row.kind, row.person))
    return outgoing
