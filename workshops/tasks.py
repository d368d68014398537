"""Celery tasks of meetings: thin, named, idempotent wrappers around the planner and reminders."""

import logging

from celery import shared_task

from . import reminders, rhythm

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
