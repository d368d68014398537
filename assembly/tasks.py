"""Celery tasks of the assembly package: thin wrappers around assembly.people and the delivery
log (assembly.notifications)."""

import logging

from celery import shared_task

from . import deferred, facilitators, follow_ups, notifications
from .imports.models import ImportBatch
from .models import User
from .notifications import digest, subscriptions
from .page_cache import recovery
from .people import send_claim_invitation

logger = logging.getLogger(__name__)


@shared_task(name="assembly.send_claim_invitation")
def send_claim_invitation_task(*, user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.info("claim invitation: person %s is gone", user_id)
        return
    if user.has_usable_password():
        logger.info("claim invitation: person %s already claimed the account", user_id)
        return
    send_claim_invitation(user)


@shared_task(name="assembly.recover_page_cache")
def recover_page_cache() -> int:
    """Every minute: a content-version bump that Redis refused, in any process, is made good."""
    return recovery.recover_recorded_outages()


@shared_task(name="assembly.expire_stuck_deliveries")
def expire_stuck_deliveries() -> int:
    """Every 10 minutes: e-mails whose sender died mid-send become "uncertain" for facilitators."""
    expired = notifications.expire_stuck()
    if expired:
        logger.warning("deliveries: %s e-mails left uncertain by a stopped worker", expired)
    return expired


@shared_task(name="assembly.enqueue_deferred_tasks")
def enqueue_deferred_tasks() -> int:
    """Every 5 minutes: the tasks the broker refused while it was down are enqueued now."""
    return deferred.enqueue_deferred(enqueue_deferred_tasks.app)


@shared_task(name="assembly.send_subscription_confirmation")
def send_subscription_confirmation(*, subscriber_id: int) -> bool:
    """The double opt-in e-mail; sent once per request (the row is claimed before sending)."""

    sent = subscriptions.send_confirmation(subscriber_id)
    logger.info("subscription confirmation %s: %s", subscriber_id, "sent" if sent else "not due")
    return sent


@shared_task(name="assembly.send_weekly_digests")
def send_weekly_digests() -> dict:
    """This ISO week's digest, once per person; runs daily so a missed beat only delays it."""

    report = digest.send_weekly_digests()
    logger.info("weekly digests: %s", report)
    return {"sent": report.sent, "already": report.already, "failed": report.failed}


@shared_task(name="assembly.send_facilitator_invitation")
def send_facilitator_invitation(*, invitation_id: int) -> bool:
    """The invitation to facilitate; nothing is sent once it is accepted or cancelled."""
    sent = facilitators.send_invitation(invitation_id)
    logger.info("facilitator invitation %s: %s", invitation_id, "sent" if sent else "not due")
    return sent


@shared_task(name="assembly.send_import_notices")
def send_import_notices(*, batch_id: int) -> dict:
    """The one-time notice to the subscribers a mailing-list import brought: once each (a row per
    address, claimed before sending), so a retry or a second click sends nothing twice."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        logger.info("import notices: batch %s is gone", batch_id)
        return {"sent": 0, "already": 0, "failed": 0}
    report = follow_ups.send_notice(batch)
    logger.info("import notices of batch %s: %s", batch_id, report)
    return report
