"""Send each e-mail about a thing to a person once: never twice, never silently skipped.

Every app that e-mails people about something (commons moderation and yearly confirmation,
meeting reminders, membership notices, votes) goes through `deliver()`. Each (topic, person, kind)
gets one Delivery row. A row is claimed with a conditional update that only one worker can win
(pending → sending), the e-mail is sent, then the row is marked sent, in the same statement that
claims the next row (one round trip per e-mail, and never more than one row of a sender in
"sending"). A worker that dies between
claim and mark leaves the row in "sending"; `expire_stuck()` (its own Celery beat entry, every 10
minutes) turns such rows into "uncertain", which are never resent automatically and are shown to
facilitators at /deliveries/. All the e-mails of one call share one SMTP connection. Call it from
Celery tasks, never from a web request.
"""

import dataclasses
import datetime
import logging
from collections.abc import Callable, Iterable

from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from .models import Delivery

logger = logging.getLogger(__name__)

# A claim older than this without being marked sent means the sender died mid-send.
STUCK_AFTER = datetime.timedelta(minutes=30)


@dataclasses.dataclass
class Outgoing:
    """An e-mail to deliver once. `build` makes the message only when this worker owns the row."""

    person: object
    topic: str
    kind: str
    build: Callable[[], EmailMessage]


@dataclasses.dataclass
class Report:
    sent: int = 0
    already: int = 0
    failed: int = 0


def _ensure_rows(outgoing: list[Outgoing], now) -> dict[tuple, Delivery]:
    keys = {(item.topic, item.person.pk, item.kind) for item in outgoing}
    Delivery.objects.bulk_create(
        [Delivery(topic=t, person_id=p, kind=k, created_at=now) for t, p, k in keys],
        ignore_conflicts=True,
    )
    rows = Delivery.objects.filter(
        topic__in={k[0] for k in keys},
        kind__in={k[2] for k in keys},
        person_id__in={k[1] for k in keys},
    )
    return {(row.topic, row.person_id, row.kind): row for row in rows}


def _mark_and_claim(model, *, sent: int | None, claim: int | None, now) -> tuple[bool, bool]:
    """One statement per e-mail: mark the row just sent as "sent" and claim the next one
    (pending → sending), in one round trip to the database.

    At any moment a sender holds at most one row in "sending", the one whose e-mail is on the
    wire, so a sender killed anywhere leaves at most one "uncertain" row behind; claiming a whole
    batch up front would leave the whole batch uncertain. Returns (marked, claimed).
    """
    if sent is None and claim is None:
        return False, False
    table = connection.ops.quote_name(model._meta.db_table)
    state = model.State
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET "  # noqa: S608 - the table name is our model's, values are params
            "state = CASE WHEN id = %s THEN %s ELSE %s END, "
            "sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END, "
            "claimed_at = CASE WHEN id = %s THEN %s ELSE claimed_at END "
            "WHERE (id = %s AND state = %s) OR (id = %s AND state = %s) "
            "RETURNING id",
            [
                sent,
                state.SENT,
                state.SENDING,
                sent,
                adapt(timezone.now()),
                claim,
                adapt(now),
                sent,
                state.SENDING,
                claim,
                state.PENDING,
            ],
        )
        changed = {row[0] for row in cursor.fetchall()}
    if sent is not None and sent not in changed:
        # Turned "uncertain" by expire_stuck() while its e-mail was on the wire: left so.
        logger.warning("delivery %s was sent but is no longer marked as being sent", sent)
    return sent in changed, claim in changed


def send_in_turn(model, items: list[tuple[int, Callable[[], EmailMessage]]], *, now) -> Report:
    """Send each (row id, build) whose row this sender claims, in order, over one SMTP connection.

    `model` is a log with the delivery states (Delivery, or SubscriberDelivery for the "info"
    list). A row claimed by someone else is counted as already handled. An e-mail that cannot be
    built or that the server refuses is marked "failed" (known not delivered), and the rest go on.
    """
    report = Report()
    smtp = mail.get_connection()
    opened = False
    just_sent = None
    seen = set()
    try:
        for pk, build in items:
            if pk in seen:  # the same e-mail twice in one call: the first one counts
                report.already += 1
                continue
            seen.add(pk)
            _marked, claimed = _mark_and_claim(model, sent=just_sent, claim=pk, now=now)
            just_sent = None
            if not claimed:
                report.already += 1
                continue
            try:
                message = build()
                if not opened:
                    smtp.open()
                    opened = True
                message.connection = smtp
                message.send()
            except Exception as error:
                logger.exception("delivery %s of %s failed", pk, model.__name__)
                model.objects.filter(pk=pk, state=model.State.SENDING).update(
                    state=model.State.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
                )
                report.failed += 1
                continue
            just_sent = pk
            report.sent += 1
    finally:
        # The last e-mail went out (or the loop stopped after one did): mark it.
        if just_sent is not None:
            _mark_and_claim(model, sent=just_sent, claim=None, now=now)
        if opened:
            smtp.close()
    return report


def deliver(outgoing: Iterable[Outgoing], *, now: datetime.datetime | None = None) -> Report:
    """Send each not-yet-sent e-mail once, over one SMTP connection."""
    now = now or timezone.now()
    outgoing = [item for item in outgoing if getattr(item.person, "email", None)]
    if not outgoing:
        return Report()
    rows = _ensure_rows(outgoing, now)
    return send_in_turn(
        Delivery,
        [(rows[(item.topic, item.person.pk, item.kind)].pk, item.build) for item in outgoing],
        now=now,
    )


def expire_stuck(*, now: datetime.datetime | None = None) -> int:
    """Rows left in "sending" by a crashed worker become "uncertain": shown, never resent."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        state=Delivery.State.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(state=Delivery.State.UNCERTAIN, error="worker stopped between claim and send")


@transaction.atomic
def retry(delivery: Delivery) -> None:
    """A facilitator decides a failed or uncertain e-mail should go out again."""
    Delivery.objects.filter(
        pk=delivery.pk, state__in=[Delivery.State.FAILED, Delivery.State.UNCERTAIN]
    ).update(state=Delivery.State.PENDING, claimed_at=None, error="")
