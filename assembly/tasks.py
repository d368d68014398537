"""Celery tasks of the assembly package: thin wrappers around assembly.people and the
notification layer (assembly.notifications)."""

import logging

from celery import shared_task

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


@shared_task(name="assembly.send_subscription_confirmation")
def send_subscription_confirmation(*, subscriber_id: int) -> bool:
    """The double opt-in e-mail; sent once per request (the row is claimed before sending)."""
    from .notifications import subscriptions

    sent = subscriptions.send_confirmation(subscriber_id)
    logger.info("subscription confirmation %s: %s", subscriber_id, "sent" if sent else "not due")
    return sent
