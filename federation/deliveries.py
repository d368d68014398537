"""Sending our activities to inboxes: one row per (activity, inbox), each sent by one worker.

A row is claimed with a conditional update (pending → sending), signed at that moment with the
actor's key (a retry is signed anew: its Date must be fresh), and POSTed through the guarded
fetcher. A 2xx marks it sent; anything else waits 1, 2, 4… minutes (at most 6 hours) and tries
again, until a day has passed since it was created: then it is given up, and administrators see
it on the fediverse settings page. A worker killed mid-send leaves the row "sending": after
STUCK_AFTER it is sent again, which a receiver shrugs off (activities are known by their id).
"""

import datetime
import json
import logging

from django.db.models import F
from django.utils import timezone

from . import activitypub, fetching, httpsig
from .models import Activity, ActivityDelivery, Publication

logger = logging.getLogger(__name__)

GIVE_UP_AFTER = datetime.timedelta(days=1)
MAX_DELAY = datetime.timedelta(hours=6)
STUCK_AFTER = datetime.timedelta(minutes=10)
BATCH = 100
KEEP_SENT = datetime.timedelta(days=30)


def retry_delay(attempts: int) -> datetime.timedelta:
    return min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_DELAY)


def release_stuck(now) -> int:
    return ActivityDelivery.objects.filter(
        state=ActivityDelivery.State.SENDING, next_attempt_at__lte=now - STUCK_AFTER
    ).update(state=ActivityDelivery.State.PENDING)


def send_one(delivery_id: int, now=None) -> str:
    """Send one delivery if it is still due; returns its state afterwards."""
    now = now or timezone.now()
    claimed = ActivityDelivery.objects.filter(
        pk=delivery_id, state=ActivityDelivery.State.PENDING, next_attempt_at__lte=now
    ).update(state=ActivityDelivery.State.SENDING, attempts=F("attempts") + 1, next_attempt_at=now)
    delivery = ActivityDelivery.objects.select_related("activity").get(pk=delivery_id)
    if not claimed:
        return delivery.state
    publication = Publication.get()
    body = json.dumps(delivery.activity.payload, ensure_ascii=False).encode()
    headers = httpsig.signed_headers(
        publication.private_key_pem, activitypub.key_id(), "POST", delivery.inbox_url, body, now
    )
    headers["Content-Type"] = activitypub.LD_JSON
    headers["Accept"] = activitypub.ACTIVITY_JSON
    try:
        status = fetching.post(delivery.inbox_url, body, headers)
        error = "" if 200 <= status < 300 else f"HTTP {status}"
    except fetching.FetchError as failure:
        error = str(failure)
    if not error:
        delivery.state, delivery.sent_at, delivery.last_error = (
            ActivityDelivery.State.SENT, now, "",
        )  # fmt: skip
    elif now - delivery.created_at >= GIVE_UP_AFTER:
        delivery.state, delivery.last_error = ActivityDelivery.State.GIVEN_UP, error[:1000]
        logger.warning("fediverse delivery %s given up: %s", delivery.pk, error)
    else:
        delivery.state, delivery.last_error = ActivityDelivery.State.PENDING, error[:1000]
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    delivery.save(update_fields=["state", "sent_at", "last_error", "next_attempt_at"])
    return delivery.state


def prune(now) -> None:
    """Forget sent deliveries after a month, and the answers (Accept, Ignore) they carried: the
    inboxes they name are personal data of a kind. The public activities stay: the outbox."""
    ActivityDelivery.objects.filter(
        state=ActivityDelivery.State.SENT, sent_at__lt=now - KEEP_SENT
    ).delete()
    Activity.objects.filter(public=False, created_at__lt=now - KEEP_SENT, deliveries=None).delete()


def deliver_due(now=None) -> dict:
    """Send every delivery that is due, up to BATCH of them; the next run takes the rest."""
    now = now or timezone.now()
    release_stuck(now)
    prune(now)
    counts: dict[str, int] = {}
    due = ActivityDelivery.objects.due(now).order_by("next_attempt_at", "pk")[:BATCH]
    for delivery_id in list(due.values_list("pk", flat=True)):
        state = send_one(delivery_id, now)
        counts[state] = counts.get(state, 0) + 1
    return counts
