"""Celery tasks of the decisions app: one thin periodic sweep, safe to run late or twice."""

import logging

from celery import shared_task
from django.utils import timezone

from . import notices, services
from .models import Comment, Decision

logger = logging.getLogger(__name__)


@shared_task(name="decisions.advance_decisions")
def advance_decisions() -> None:
    """Open votes whose discussion ended, close votes whose time is up, send due e-mails."""
    now = timezone.now()
    # First, after a read-only season: its decisions get their time back before any closes.
    services.extend_after_read_only_season(now=now)
    moved = services.advance_due(now=now)
    looked_at = notices.send_due_notices(now=now)
    replies = notices.send_due_replies(now=now)
    logger.info(
        "decisions: %s advanced, %s with notices, %s replies told late", moved, looked_at, replies
    )


@shared_task(name="decisions.announce_discussion")
def announce_discussion(*, decision_id: int) -> None:
    """Tell everyone who may comment that a discussion opened; safe to run twice."""
    decision = Decision.objects.filter(pk=decision_id).first()
    if decision is None:
        logger.info("announce discussion: decision %s is gone", decision_id)
        return
    notices.send_discussion_opened(decision, now=timezone.now())


@shared_task(name="decisions.tell_replies")
def tell_replies(*, comment_id: int) -> None:
    """Tell the author and the earlier commenters of a new comment; safe to run twice."""
    comment = Comment.objects.select_related("decision", "author").filter(pk=comment_id).first()
    if comment is None:
        logger.info("tell replies: comment %s is gone", comment_id)
        return
    notices.send_replies(comment, now=timezone.now())
