"""The assembly's announcement: N days before each assembly (the rhythm's `announcement_days`),
one e-mail with its date, time and venue (access notes included), the workshops proposed so far
(the initiation first, for newcomers), the open discussions and votes, the commons published since
the last assembly, a link to propose a workshop, and the .ics. It also feeds the home page's
"the next assembly in brief".

It gathers several apps, so it belongs to the composition root. It goes to everyone who hears
about assemblies as they happen and to the confirmed subscribers without an account, in batches
that each use one SMTP connection, from the worker; each (meeting, person, "announcement") once.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from assembly import notifications
from assembly.models import Subscriber, Topic
from assembly.notifications import subscriptions, topics
from commons_registry.models import Commons
from decisions import services as decisions_services
from workshops.ical import build_calendar
from workshops.models import Meeting, Rhythm, Workshop

logger = logging.getLogger(__name__)

KIND = "announcement"
# Recipients per SMTP connection: a dropped connection costs at most one batch's reconnect.
BATCH = 200
# Without a previous assembly, "since the last assembly" means this long.
DEFAULT_SINCE = datetime.timedelta(days=31)


def due_meetings(now: datetime.datetime):
    """Planned meetings whose announcement moment has come and that were not announced yet."""
    days = Rhythm.get().announcement_days
    if not days:
        return Meeting.objects.none()
    return Meeting.objects.filter(
        status=Meeting.Status.PLANNED,
        announced_at=None,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(days=days),
    ).order_by("starts_at")


def initiation_first(workshops) -> list:
    return sorted(workshops, key=lambda workshop: not workshop.is_initiation)


def contents(meeting: Meeting, now: datetime.datetime) -> dict:
    """What the announcement says, gathered once for every recipient."""
    meeting = (
        Meeting.objects.select_related("venue")
        .prefetch_related(
            Prefetch(
                "workshops",
                queryset=Workshop.objects.visible().by_signups(),
                to_attr="board",
            )
        )
        .get(pk=meeting.pk)
    )
    previous = (
        Meeting.objects.filter(starts_at__lt=meeting.starts_at, status=Meeting.Status.PLANNED)
        .order_by("-starts_at")
        .first()
    )
    since = previous.starts_at if previous else meeting.starts_at - DEFAULT_SINCE
    new_commons = list(
        Commons.objects.published().filter(moderated_at__gte=since).order_by("name")[:20]
    )
    open_decisions = list(decisions_services.open_decisions()[:20])
    for item in [*open_decisions, *new_commons]:
        item.absolute_url = topics.absolute(item.get_absolute_url())
    return {
        "meeting": meeting,
        "workshops": initiation_first(meeting.board),
        "open_decisions": open_decisions,
        "new_commons": new_commons,
        "since": since,
        "meeting_url": topics.absolute(meeting.get_absolute_url()),
        "propose_url": topics.absolute(reverse("workshops:propose") + f"?meeting={meeting.pk}"),
        "decisions_url": topics.absolute(reverse("decisions:list")),
        "ics": build_calendar([meeting], meeting.title, now=now),
    }


def _rendered(language: str, context: dict) -> tuple[str, str]:
    """Subject and body, the same for every recipient of a language: rendered once per language,
    so that sending to 1,000 people costs 1,000 greetings and footers, not 1,000 renderings."""
    cache = context.setdefault("rendered", {})
    if language not in cache:
        with translation.override(language):
            subject = render_to_string("assembly/email/announcement_subject.txt", context)
            body = render_to_string("assembly/email/announcement_body.txt", context)
        cache[language] = (" ".join(subject.split()), body)
    return cache[language]


def _message(recipient, context: dict, reason: str):
    language = getattr(recipient, "language", None) or settings.LANGUAGE_CODE
    subject, body = _rendered(language, context)
    name = getattr(recipient, "display_name", "")
    with translation.override(language):
        greeting = gettext("Hello %(name)s,") % {"name": name} if name else gettext("Hello,")
    message = EmailMultiAlternatives(
        subject, f"{greeting}\n\n{body.lstrip()}", to=[recipient.email]
    )
    message.attach("assemblee.ics", context["ics"], "text/calendar")
    return topics.decorate(message, recipient, Topic.ASSEMBLIES, topics.REASONS[reason])


def _batches(queryset, size: int):
    batch = []
    for row in queryset.iterator(chunk_size=size):
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def send_announcement(
    meeting: Meeting, *, now=None, batch_size: int = BATCH, people=None, subscribers=None
) -> dict:
    """E-mail the announcement to everyone concerned, once each, then mark the meeting.
    (`people` and `subscribers` narrow the recipients, for the benchmark.)"""
    now = now or timezone.now()
    context = contents(meeting, now)
    topic = f"meeting:{meeting.pk}"
    totals = {"sent": 0, "already": 0, "failed": 0}
    people = topics.hearing(Topic.ASSEMBLIES, people=people).order_by("pk")
    if subscribers is None:
        subscribers = Subscriber.objects.receiving()
    for batch in _batches(people, batch_size):
        report = notifications.deliver(
            [
                notifications.Outgoing(
                    person=person,
                    topic=topic,
                    kind=KIND,
                    build=lambda person=person: _message(person, context, "assemblies"),
                )
                for person in batch
            ],
            now=now,
        )
        for key in totals:
            totals[key] += getattr(report, key)
    for batch in _batches(subscribers.order_by("pk"), batch_size):
        counts = subscriptions.deliver_to_subscribers(
            [
                (s, topic, KIND, lambda s=s: _message(s, context, topics.subscriber_reason(s)))
                for s in batch
            ],
            now=now,
        )
        for key in totals:
            totals[key] += counts[key]
    Meeting.objects.filter(pk=meeting.pk, announced_at=None).update(announced_at=now)
    return totals


def send_due_announcements(*, now=None) -> int:
    """Announce every meeting whose moment has come; safe to run late or twice."""
    now = now or timezone.now()
    notifications.expire_stuck(now=now)
    subscriptions.expire_stuck_subscribers(now=now)
    meetings = list(due_meetings(now))
    for meeting in meetings:
        totals = send_announcement(meeting, now=now)
        logger.info("announcement of meeting %s: %s", meeting.pk, totals)
    return len(meetings)
