"""Celery tasks of federation: the neighbours' refresh, and the fediverse's inbox, sweep and
deliveries. Each is safe to run twice or late: the rows say what is left to do."""

import logging

from celery import shared_task

from . import deliveries, inbox, publishing, services

logger = logging.getLogger(__name__)


@shared_task(name="federation.refresh_neighbours")
def refresh_neighbours() -> dict:
    counts = services.refresh_due_neighbours()
    logger.info("neighbours refreshed: %s", counts)
    return counts


@shared_task(name="federation.process_inbox")
def process_inbox() -> dict:
    return inbox.process_received()


@shared_task(name="federation.publish_events")
def publish_events() -> dict:
    return publishing.publish_events()


@shared_task(name="federation.deliver_activities")
def deliver_activities() -> dict:
    return deliveries.deliver_due()
