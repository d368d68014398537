"""Send each e-mail about a thing to a person once: never twice, never silently skipped.

Every app that e-mails people about something (commons moderation and yearly confirmation,
meeting reminders, membership notices, votes) goes through `deliver()`. Each (topic, person, kind)
gets one Delivery row. A row is claimed with a conditional update that only one worker can win
(pending → sending), the e-mail is sent, then the row is marked sent. A worker that dies between
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
from django.db import transaction
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


def _claim(row: Delivery, now) -> bool:
    return bool(
        Delivery.objects.filter(pk=row.pk, state=Delivery.State.PENDING).update(
            state=Delivery.State.SENDING, claimed_at=now
        )
    )


def deliver(outgoing: Iterable[Outgoing], *, now: datetime.datetime | None = None) -> Report:
    """Send each not-yet-sent e-mail once, over one SMTP connection."""
    now = now or timezone.now()
    outgoing = [item for item in outgoing if getattr(item.person, "email", None)]
    report = Report()
    if not outgoing:
        return report
    rows = _ensure_rows(outgoing, now)
    connection = mail.get_connection()
    opened = False
    try:
        for item in outgoing:
            row = rows[(item.topic, item.person.pk, item.kind)]
            if not _claim(row, now):
                report.already += 1
                continue
            try:
                message = item.build()
                if not opened:
                    connection.open()
                    opened = True
                message.connection = connection
                message.send()
            except Exception as error:
                # The SMTP server refused or we could not build it: known not delivered, recorded.
                logger.exception("delivery %s failed", row.pk)
                Delivery.objects.filter(pk=row.pk, state=Delivery.State.SENDING).update(
                    state=Delivery.State.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
                )
                report.failed += 1
                continue
            Delivery.objects.filter(pk=row.pk, state=Delivery.State.SENDING).update(
                state=Delivery.State.SENT, sent_at=timezone.now()
            )
            report.sent += 1
    finally:
        if opened:
            connection.close()
    return report


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
