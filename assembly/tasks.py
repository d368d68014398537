"""Celery tasks of the assembly package: thin wrappers around assembly.people."""

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
