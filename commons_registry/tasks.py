"""Celery tasks of the directory: thin, idempotent wrappers around services and emails."""

import logging

from celery import shared_task
from django.utils import timezone

from . import emails, services
from .models import Commons

logger = logging.getLogger(__name__)


@shared_task(name="commons_registry.notify_moderation")
def notify_moderation(*, commons_pk: int) -> bool:
    """Tell the proposer whether their entry was published or rejected, once."""
    commons = Commons.objects.select_related("submitted_by").filter(pk=commons_pk).first()
    if commons is None or commons.submitted_by is None:
        logger.info("moderation notice: commons %s or its proposer is gone", commons_pk)
        return False
    if not services.claim_moderation_notice(commons_pk, timezone.now()):
        logger.info("moderation notice: commons %s already notified or not moderated", commons_pk)
        return False
    emails.send_moderation_result(commons)
    return True


@shared_task(name="commons_registry.request_confirmations")
def request_confirmations() -> int:
    """Daily: ask the stewards of every entry unconfirmed for a year to confirm it, once."""
    now = timezone.now()
    asked = 0
    due = Commons.objects.due_for_confirmation(now).prefetch_related("stewards")
    for commons in due.iterator(chunk_size=200):
        if not services.claim_confirmation_request(commons.pk, now):
            continue
        for steward in commons.stewards.all():
            if steward.is_active and steward.email:
                emails.send_confirmation_request(commons, steward)
        asked += 1
    logger.info("confirmation requests: %s entries asked", asked)
    return asked
