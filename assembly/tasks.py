"""Celery tasks of the assembly package: thin wrappers around assembly.people and the delivery
log (assembly.notifications)."""

import logging

from celery import shared_task

from . import notifications
from .models import User
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


@shared_task(name="assembly.expire_stuck_deliveries")
def expire_stuck_deliveries() -> int:
    """Every 10 minutes: e-mails whose sender died mid-send become "uncertain" for facilitators."""
    expired = notifications.expire_stuck()
    if expired:
        logger.warning("deliveries: %s e-mails left uncertain by a stopped worker", expired)
    return expired
