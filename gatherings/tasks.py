"""Celery tasks of gatherings: thin, named wrappers around the notices, each idempotent through
the delivery log."""

import logging

from celery import shared_task

from . import notices

logger = logging.getLogger(__name__)


def _log(name, report) -> dict:
    logger.info("%s: %s", name, report)
    return {"sent": report.sent, "already": report.already, "failed": report.failed}


@shared_task(name="gatherings.send_promotion_notices")
def send_promotion_notices(*, session_id: int, person_ids: list[int]) -> dict:
    return _log("promotion", notices.send_promotion_notices(session_id, person_ids))


@shared_task(name="gatherings.send_assignment_notice")
def send_assignment_notice(*, session_id: int, person_id: int) -> dict:
    return _log("assignment", notices.send_assignment_notice(session_id, person_id))


@shared_task(name="gatherings.send_split_notice")
def send_split_notice(*, session_id: int) -> dict:
    return _log("split", notices.send_split_notice(session_id))


@shared_task(name="gatherings.send_review_notice")
def send_review_notice(*, session_id: int, state: str) -> dict:
    return _log("review", notices.send_review_notice(session_id, state))


@shared_task(name="gatherings.send_change_notices")
def send_change_notices(*, session_id: int, change: str) -> dict:
    return _log("change", notices.send_change_notices(session_id, change))
