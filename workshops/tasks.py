"""Celery tasks of meetings: thin, named, idempotent wrappers around the planner, the reminders,
the cancellation notices and the membership recompute.

Membership: recompute everyone nightly (CELERY_BEAT_SCHEDULE) or only the people whose attendance
was just recorded, then send the membership e-mails the recompute queued.
"""

import logging

from celery import shared_task

from . import cancellation, digest_items, membership, reminders, rhythm
from .models import Meeting, Workshop

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


@shared_task(name="workshops.send_cancellation_notices")
def send_cancellation_notices(*, meeting_id: int) -> dict:
    """E-mail a cancelled meeting's hosts and signed-up people, once each."""
    meeting = Meeting.objects.select_related("venue").filter(pk=meeting_id).first()
    if meeting is None:
        logger.info("cancellation notices: meeting %s is gone", meeting_id)
        return {"sent": 0, "already": 0, "failed": 0}
    report = cancellation.send_cancellation_notices(meeting)
    logger.info("cancellation notices for meeting %s: %s", meeting_id, report)
    return {"sent": report.sent, "already": report.already, "failed": report.failed}


@shared_task(name="workshops.send_reinstatement_notices")
def send_reinstatement_notices(*, meeting_id: int) -> dict:
    """Tell the people a cancellation reached that the meeting takes place after all, once each."""
    meeting = Meeting.objects.select_related("venue").filter(pk=meeting_id).first()
    if meeting is None:
        logger.info("reinstatement notices: meeting %s is gone", meeting_id)
        return {"sent": 0, "already": 0, "failed": 0}
    report = cancellation.send_reinstatement_notices(meeting)
    logger.info("reinstatement notices for meeting %s: %s", meeting_id, report)
    return {"sent": report.sent, "already": report.already, "failed": report.failed}


@shared_task(name="workshops.note_workshop_proposed")
def note_workshop_proposed(*, workshop_id: int) -> int:
    """Put a new workshop in the digest of the people signed up for that assembly; safe twice."""
    workshop = Workshop.objects.select_related("meeting").filter(pk=workshop_id).first()
    if workshop is None or workshop.hidden:
        logger.info("workshop proposed: workshop %s is gone or hidden", workshop_id)
        return 0
    return digest_items.note_workshop_proposed(workshop)
