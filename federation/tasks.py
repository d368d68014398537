"""Celery task of federation: the hourly refresh of the neighbours that are due."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="federation.refresh_neighbours")
def refresh_neighbours() -> dict:
    counts = services.refresh_due_neighbours()
    logger.info("neighbours refreshed: %s", counts)
    return counts
