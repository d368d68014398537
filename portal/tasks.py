"""Celery tasks of the composition root: the announcement gathers every app's news.

The task keeps its name `assembly.send_announcements` from before the portal existed: the beat
schedule and queued messages of a running deployment name it so.
"""

import logging

from celery import shared_task

from . import announcement

logger = logging.getLogger(__name__)


@shared_task(name="assembly.send_announcements")
def send_announcements() -> int:
    """Announce each assembly N days before (the rhythm's setting); safe to run late or twice."""

    count = announcement.send_due_announcements()
    logger.info("announcements: %s meetings", count)
    return count
