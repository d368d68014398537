"""Meeting reminders: who gets one, when, and what it says. Sent through assembly.notifications, so
each (meeting, person, kind) reminder goes out once."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone

from assembly import notifications
from assembly.models import Delivery, Topic
from assembly.notifications import topics

from . import cancellation
from .ical import absolute, build_calendar
from .models import Meeting, Rhythm, Workshop


def due_offset(meeting: Meeting, offsets: list[int], now: datetime.datetime) -> int | None:
    """The reminder due now: the smallest offset whose moment has come, before the meeting.

    A meeting planned 3 days ahead gets its 7-day reminder at once and its 1-day one on time;
    a stale larger reminder is never sent after a smaller one became due.
    """
    if meeting.starts_at <= now:
        return None
    due = [days for days in offsets if meeting.starts_at - datetime.timedelta(days=days) <= now]
    return min(due) if due else None


def recipients(meeting: Meeting, on: datetime.date):
    """Everyone who chose to hear about assemblies as they happen: newcomers who came once as
    much as members, hosts and people signed up."""
    return topics.hearing(Topic.ASSEMBLIES).order_by("pk")


def reminder_outgoing_for(meeting: Meeting, days: int, person) -> notifications.Outgoing:
    """One reminder; the message (and its .ics) is built only if this worker claims the row."""

    def build():
        context = {
            "meeting": meeting,
            "workshops": meeting.feed_workshops,
            "days": days,
            "meeting_url": absolute(meeting.get_absolute_url()),
        }
        ics = build_calendar([meeting], meeting.title)
        message = notifications.render_email(
            person,
            "workshops/email/reminder",
            context,
            attachments=[("assemblee.ics", ics, "text/calendar")],
        )
        return topics.decorate(message, person, Topic.ASSEMBLIES, topics.REASONS["assemblies"])

    return notifications.Outgoing(
        person=person, topic=f"meeting:{meeting.pk}", kind=f"reminder-{days}d", build=build
    )


def reminder_outgoing(
    meeting: Meeting, days: int, on: datetime.date
) -> list[notifications.Outgoing]:
    return [reminder_outgoing_for(meeting, days, person) for person in recipients(meeting, on)]


def retried_outgoing(meetings: list[Meeting]) -> list[notifications.Outgoing]:
    """Reminders a facilitator sent back to "pending" go out with the next batch, whichever
    reminder is due now, as long as their meeting has not begun."""
    by_topic = {f"meeting:{meeting.pk}": meeting for meeting in meetings}
    rows = Delivery.objects.filter(
        state=Delivery.State.PENDING, topic__in=list(by_topic), kind__regex=r"^reminder-[0-9]+d$"
    ).select_related("person")
    return [
        reminder_outgoing_for(
            by_topic[row.topic],
            int(row.kind.removeprefix("reminder-").removesuffix("d")),
            row.person,
        )
        for row in rows
    ]


def send_meeting_reminders(now: datetime.datetime | None = None) -> notifications.Report:
    """Send every reminder due now, and those retried, all over one SMTP connection."""
    now = now or timezone.now()
    notifications.expire_stuck(now=now)
    offsets = Rhythm.get().parsed_reminder_offsets()
    if not offsets:
        return notifications.Report()
    horizon = now + datetime.timedelta(days=max(offsets))
    meetings = list(
        Meeting.objects.filter(
            status=Meeting.Status.PLANNED, starts_at__gt=now, starts_at__lte=horizon
        )
        .select_related("venue")
        .prefetch_related(
            Prefetch(
                "workshops",
                queryset=Workshop.objects.visible().by_signups(),
                to_attr="feed_workshops",
            )
        )
        .order_by("starts_at")
    )
    outgoing = []
    today = timezone.localdate(now)
    for meeting in meetings:
        days = due_offset(meeting, offsets, now)
        if days is not None:
            outgoing.extend(reminder_outgoing(meeting, days, today))
    outgoing.extend(retried_outgoing(meetings))
    outgoing.extend(cancellation.retried_outgoing(now))
    return notifications.deliver(outgoing, now=now)
