"""Celery tasks of the decisions app: one thin periodic sweep, safe to run late or twice."""

import logging

from celery import shared_task
from django.utils import timezone

from . import notices, services

logger = logging.getLogger(__name__)


@shared_task(name="decisions.advance_decisions")
def advance_decisions() -> None:
    """Open votes whose discussion ended, close votes whose time is up, send due e-mails."""
    now = timezone.now()
    moved = services.advance_due(now=now)
    looked_at = notices.send_due_notices(now=now)
    logger.info("decisions: %s advanced, %s with notices", moved, looked_at)
