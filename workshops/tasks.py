"""Celery tasks of meetings: thin, named, idempotent wrappers around the planner, the reminders
and the membership recompute.

Membership: recompute everyone nightly (CELERY_BEAT_SCHEDULE) or only the people whose attendance
was just recorded, then send the membership e-mails the recompute queued.
"""

import logging

from celery import shared_task

from . import membership, reminders, rhythm

logger = logging.getLogger(__name__)


@shared_task(name="workshops.plan_upcoming_meetings")
def plan_upcoming_meetings() -> int:
    created = rhythm.plan_upcoming_meetings()
    return len(created)


@shared_task(name="workshops.send_meeting_reminders")
def send_meeting_reminders() -> dict:
    report = reminders.send_meeting_reminders()
    logger.info("meeting reminders: %s", report)
    return {"sent": report.sent, "already": report.already, "failed": report.failed}


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
