"""The e-mails the directory sends, each exactly once, through the delivery log
(assembly.notifications), and only from Celery tasks:

- a proposal was moderated (published or rejected) → its proposer: topic "commons:<id>", kind
  "moderation";
- an entry unconfirmed for a year → each of its stewards: kind "confirmation-<day asked>", queued
  as pending rows in the transaction that marks the entry as asked (services.ask_stewards_to_confirm),
  so that a crash before sending leaves them waiting, never lost.

Each carries the footer and unsubscribe headers of assembly.notifications.topics: the moderation
result belongs to "my own things" (my proposals), the confirmation request to "the commons
directory" (entries I steward); someone who turned that topic off is not sent it.

Whether to send is decided here and in services.py; that each e-mail goes out once, and shows as
"uncertain" at /deliveries/ after a crash mid-send, is the log's job.
"""

import datetime

from django.utils import timezone

from assembly.models import Delivery, Frequency, Topic
from assembly.notifications import Outgoing, Report, deliver, render_email, topics

from .models import Commons

TOPIC_PREFIX = "commons:"
MODERATION = "moderation"
CONFIRMATION_PREFIX = "confirmation-"


def topic(commons_pk: int) -> str:
    return f"{TOPIC_PREFIX}{commons_pk}"


def confirmation_kind(asked_at: datetime.datetime) -> str:
    """One request per steward each time the entry is asked, named by the day it was asked."""
    return f"{CONFIRMATION_PREFIX}{timezone.localdate(asked_at).isoformat()}"


def _moderation(commons: Commons, person) -> Outgoing:
    def build():
        message = render_email(person, "commons_registry/email/moderation", {"commons": commons})
        return topics.decorate(message, person, Topic.OWN, topics.REASONS["proposer"])

    return Outgoing(person, topic(commons.pk), MODERATION, build)


def _confirmation(commons: Commons, person, kind: str) -> Outgoing:
    def build():
        message = render_email(person, "commons_registry/email/confirmation", {"commons": commons})
        return topics.decorate(message, person, Topic.COMMONS, topics.REASONS["steward"])

    return Outgoing(person, topic(commons.pk), kind, build)


def _turned_off(person, kind: str) -> bool:
    """Whether the person chose never to hear about this e-mail's topic."""
    chosen = Topic.OWN if kind == MODERATION else Topic.COMMONS
    return topics.frequency_of(person, chosen) == Frequency.NEVER


def is_moderated(commons: Commons) -> bool:
    return commons.state in (Commons.State.PUBLISHED, Commons.State.REJECTED)


def send_moderation_result(commons: Commons, *, now=None) -> Report:
    """Tell the proposer, once, whether their entry was published or rejected."""
    if (
        commons.submitted_by is None
        or not is_moderated(commons)
        or _turned_off(commons.submitted_by, MODERATION)
    ):
        return Report()
    return deliver([_moderation(commons, commons.submitted_by)], now=now)


def queue_confirmation_requests(commons: Commons, stewards, asked_at) -> None:
    """Pending rows, one per steward; call it in the transaction that marks the entry as asked."""
    kind = confirmation_kind(asked_at)
    Delivery.objects.bulk_create(
        [
            Delivery(person=steward, topic=topic(commons.pk), kind=kind, created_at=asked_at)
            for steward in stewards
            if steward.is_active and steward.email
        ],
        ignore_conflicts=True,
    )


def _still_holds(row: Delivery, commons: Commons | None) -> bool:
    if commons is None:
        return False
    if row.kind == MODERATION:
        return is_moderated(commons) and commons.submitted_by_id == row.person_id
    # A request stays true while the entry is published and its stewards have not answered.
    return (
        row.kind.startswith(CONFIRMATION_PREFIX)
        and commons.is_published
        and commons.confirmation_requested_at is not None
        and row.person.is_active
    )


def send_pending(*, now=None) -> Report:
    """Deliver every commons e-mail waiting in the log: requests just queued, requests a crash
    left queued, and e-mails a facilitator sent back to "pending". One no longer true (the entry
    was confirmed, unpublished or deleted) is dropped unsent."""
    rows = list(
        Delivery.objects.filter(state=Delivery.State.PENDING, topic__startswith=TOPIC_PREFIX)
        .select_related("person")
        .order_by("pk")
    )
    if not rows:
        return Report()
    ids = {int(row.topic.removeprefix(TOPIC_PREFIX)) for row in rows}
    by_pk = Commons.objects.in_bulk(ids)
    outgoing, stale = [], []
    for row in rows:
        commons = by_pk.get(int(row.topic.removeprefix(TOPIC_PREFIX)))
        if not _still_holds(row, commons) or _turned_off(row.person, row.kind):
            stale.append(row.pk)
        elif row.kind == MODERATION:
            outgoing.append(_moderation(commons, row.person))
        else:
            outgoing.append(_confirmation(commons, row.person, row.kind))
    if stale:
        Delivery.objects.filter(pk__in=stale, state=Delivery.State.PENDING).delete()
    return deliver(outgoing, now=now)
