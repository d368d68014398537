"""What people are told when a meeting is cancelled: its hosts and the people signed up to its
workshops get one e-mail each, through workshops.deliveries, with the cancelled event attached so
that their calendar updates too."""

from django.db.models import Q

from assembly.models import User

from . import deliveries
from .ical import absolute, build_calendar
from .models import Meeting, Workshop

KIND = "cancelled"


def recipients(meeting: Meeting):
    """Hosts and people signed up to one of its visible workshops, whatever their reminder choice:
    they planned to come, so they must know."""
    signed_up = Workshop.objects.visible().filter(meeting=meeting).values("signups__person")
    return (
        User.objects.filter(is_active=True, email__isnull=False)
        .filter(Q(pk__in=meeting.hosts.values("pk")) | Q(pk__in=signed_up))
        .order_by("pk")
    )


def cancellation_outgoing(meeting: Meeting) -> list[deliveries.Outgoing]:
    def build_for(person):
        def build():
            context = {"meeting": meeting, "meeting_url": absolute(meeting.get_absolute_url())}
            ics = build_calendar([meeting], meeting.title, with_workshops=False)
            return deliveries.render_email(
                person,
                "workshops/email/cancelled",
                context,
                attachments=[("assemblee.ics", ics, "text/calendar")],
            )

        return build

    return [
        deliveries.Outgoing(
            person=person, topic=f"meeting:{meeting.pk}", kind=KIND, build=build_for(person)
        )
        for person in recipients(meeting)
    ]


def send_cancellation_notices(meeting: Meeting, *, now=None) -> deliveries.Report:
    """Tell each recipient once; a retry or a second run sends nothing more. A meeting
    reinstated before this ran is no longer cancelled, and nobody is told."""
    if not meeting.is_cancelled:
        return deliveries.Report()
    return deliveries.deliver(cancellation_outgoing(meeting), now=now)
