"""What the assembly publishes on the fediverse, and to whom it is delivered.

The meetings anonymous visitors see on the agenda, still to come, are compared with what we last
sent about them (`PublishedEvent`): a new one gets a `Create`, one whose content changed an
`Update` (a cancellation is an Update with `eventStatus: EventCancelled`), one deleted a
`Delete` of a Tombstone. Past meetings are never sent. A decision adopted since the last week
is sent once, as a `Note`. A sweep does the comparing (every minute,
and at once after a meeting is saved through the task), so that no app on our left has to call
us, and running it twice sends nothing twice.
"""

import datetime
import hashlib
import json
import logging

from django.db import transaction
from django.utils import timezone

from assembly.tasking import enqueue_on_commit
from decisions.models import Decision
from workshops.models import Meeting

from . import activitypub, httpsig
from .models import (
    Activity,
    ActivityDelivery,
    Follower,
    Publication,
    PublishedDecision,
    PublishedEvent,
)

logger = logging.getLogger(__name__)
# Left out of the digest: they change without anything a follower would see changing.
VOLATILE = ("published", "updated")
DECISIONS_SINCE = datetime.timedelta(days=7)


def publishable_meetings(now):
    """The meetings we publish: on the public agenda, not over yet, and never one an import of
    past attendance created (issue 22)."""
    return Meeting.objects.upcoming(now).filter(imported_at__isnull=True).select_related("venue")


def digest_of(event: dict) -> str:
    content = {key: value for key, value in event.items() if key not in VOLATILE}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def delivery_inboxes() -> list[str]:
    """One inbox per server: the shared inbox where the follower's server has one."""
    return sorted({follower.delivery_inbox for follower in Follower.objects.all()})


def record_activity(payload: dict, inboxes, public: bool, now) -> Activity:
    """Keep the activity and one delivery per inbox; the worker sends them after the commit."""
    activity = Activity.objects.create(
        activity_id=payload["id"], kind=payload["type"], payload=payload, public=public,
        created_at=now,
    )  # fmt: skip
    ActivityDelivery.objects.bulk_create(
        [
            ActivityDelivery(
                activity=activity, inbox_url=inbox, created_at=now, next_attempt_at=now
            )
            for inbox in inboxes
        ],
        ignore_conflicts=True,
    )
    if inboxes:
        enqueue_on_commit("federation.deliver_activities")
    return activity


def publish_events(now=None) -> dict:
    """Send what changed among the published meetings since the last sweep. Idempotent."""
    now = now or timezone.now()
    counts = {"Create": 0, "Update": 0, "Delete": 0, "Note": 0}
    if not Publication.get().enabled:
        return counts
    published = {row.meeting_id: row for row in PublishedEvent.objects.filter(deleted_at=None)}
    for meeting in publishable_meetings(now):
        event = activitypub.event_object(meeting)
        digest = digest_of(event)
        row = published.get(meeting.pk)
        if row is not None and row.digest == digest:
            continue
        if row is None and meeting.is_cancelled:
            continue  # never announced, so nothing to take back
        kind = "Create" if row is None else "Update"
        if _send_event(meeting, event, digest, kind, now):
            counts[kind] += 1
    for row in PublishedEvent.objects.filter(meeting=None, deleted_at=None):
        if _send_delete(row, now):
            counts["Delete"] += 1
    for decision in newly_adopted(now):
        if _send_decision(decision, now):
            counts["Note"] += 1
    if any(counts.values()):
        logger.info("fediverse: %s", counts)
    return counts


def _send_event(meeting, event, digest, kind, now) -> bool:
    with transaction.atomic():
        # The row lock makes two sweeps at once send one activity, not two.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        row = PublishedEvent.objects.filter(meeting=meeting).first()
        if row is not None and (row.digest == digest or row.deleted_at):
            return False
        if row is None and kind == "Update":
            return False
        if row is None:
            PublishedEvent.objects.create(
                meeting=meeting, object_id=event["id"], digest=digest, published_at=now,
                updated_at=now,
            )  # fmt: skip
            kind = "Create"
        else:
            row.digest, row.updated_at = digest, now
            row.save(update_fields=["digest", "updated_at"])
            kind = "Update"
        payload = activitypub.public_activity(kind, event, now)
        record_activity(payload, delivery_inboxes(), public=True, now=now)
    return True


def newly_adopted(now):
    """Decisions adopted in the last week and not sent yet: the news of the assembly's choices.
    Older ones stay out, so that turning the switch on does not flood anyone's timeline."""
    return Decision.objects.filter(
        outcome=Decision.Outcome.ADOPTED,
        closed_at__gte=now - DECISIONS_SINCE,
        closed_at__lte=now,
        published_note__isnull=True,
    ).order_by("closed_at", "pk")


def _send_decision(decision, now) -> bool:
    with transaction.atomic():
        _row, created = PublishedDecision.objects.get_or_create(
            decision=decision, defaults={"published_at": now}
        )
        if not created:
            return False
        payload = activitypub.public_activity("Create", activitypub.decision_note(decision), now)
        record_activity(payload, delivery_inboxes(), public=True, now=now)
    return True


def _send_delete(row: PublishedEvent, now) -> bool:
    with transaction.atomic():
        claimed = PublishedEvent.objects.filter(pk=row.pk, deleted_at=None).update(deleted_at=now)
        if not claimed:
            return False
        payload = activitypub.public_activity(
            "Delete", activitypub.tombstone(row.object_id, now), now
        )
        record_activity(payload, delivery_inboxes(), public=True, now=now)
    return True


def outbox_items() -> list[dict]:
    return [
        activity.payload
        for activity in Activity.objects.filter(public=True).order_by("-created_at", "-pk")[
            : activitypub.OUTBOX_ITEMS
        ]
    ]


def ensure_keys(now=None) -> Publication:
    """The publication with its key pair, made the first time and kept afterwards."""
    Publication.get()
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=1)
        if not publication.private_key_pem:
            private, public = httpsig.generate_key_pair()
            publication.private_key_pem, publication.public_key_pem = private, public
            publication.key_created_at = now or timezone.now()
            publication.save(update_fields=["private_key_pem", "public_key_pem", "key_created_at"])
    return publication


def configure(enabled: bool, handle: str, now=None) -> Publication:
    """An administrator's choice: publish or not, and under which handle."""
    now = now or timezone.now()
    publication = ensure_keys(now) if enabled else Publication.get()
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=1)
        renamed = publication.handle != handle
        publication.enabled, publication.handle = enabled, handle
        publication.save(update_fields=["enabled", "handle"])
        if renamed and enabled:
            # Followers' servers show the new name once they hear of it.
            _send_actor_update(publication, now)
    return publication


def _send_actor_update(publication: Publication, now) -> None:
    actor = activitypub.actor_document(publication)
    actor.pop("@context")
    record_activity(
        activitypub.public_activity("Update", actor, now), delivery_inboxes(), False, now
    )


def rotate_keys(now=None) -> Publication:
    """A new key pair; every follower's server is sent an Update of the actor to learn it."""
    now = now or timezone.now()
    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(pk=Publication.get().pk)
        private, public = httpsig.generate_key_pair()
        publication.private_key_pem, publication.public_key_pem = private, public
        publication.key_created_at = now
        publication.save(update_fields=["private_key_pem", "public_key_pem", "key_created_at"])
        _send_actor_update(publication, now)
    return publication
