"""Celery tasks of the workshops app: thin wrappers around the app's services.

Membership: recompute everyone nightly (CELERY_BEAT_SCHEDULE) or only the people whose attendance
was just recorded, then send the membership e-mails the recompute queued.
"""

import logging

from celery import shared_task

from . import membership

logger = logging.getLogger(__name__)


@shared_task(name="workshops.recompute_memberships")
def recompute_memberships(*, person_ids: list[int] | None = None) -> None:
    report = membership.recompute(person_ids=person_ids)
    sent = membership.send_notices()
    logger.info(
        "memberships recomputed (%s people): %s; e-mails: %s",
        "all" if person_ids is None else len(person_ids),
        report,
        sent,
    )
