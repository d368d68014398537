"""Celery tasks of the directory: thin, idempotent wrappers around services and emails."""

import logging

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from assembly.models import Topic, User
from assembly.notifications import digest, topics

from . import emails, services
from .models import Commons

logger = logging.getLogger(__name__)


@shared_task(name="commons_registry.notify_moderation")
def notify_moderation(*, commons_pk: int) -> bool:
    """Tell the proposer whether their entry was published or rejected, once."""
    commons = Commons.objects.select_related("submitted_by").filter(pk=commons_pk).first()
    if commons is None or commons.submitted_by is None:
        logger.info("moderation notice: commons %s or its proposer is gone", commons_pk)
        return False
    report = emails.send_moderation_result(commons)
    logger.info("moderation notice for commons %s: %s", commons_pk, report)
    return report.sent == 1


@shared_task(name="commons_registry.request_confirmations")
def request_confirmations() -> int:
    """Daily: ask the stewards of every entry unconfirmed for a year to confirm it, once; then
    send every commons e-mail waiting in the log (including those a facilitator retried)."""
    now = timezone.now()
    due = Commons.objects.due_for_confirmation(now).values_list("pk", flat=True)
    asked = sum(services.ask_stewards_to_confirm(pk, now) for pk in list(due))
    report = emails.send_pending(now=now)
    logger.info("confirmation requests: %s entries asked; e-mails: %s", asked, report)
    return asked


@shared_task(name="commons_registry.note_commons_published")
def note_commons_published(*, commons_pk: int) -> int:
    """A newly published entry goes into the digest of those who follow the directory; safe twice."""

    commons = Commons.objects.filter(pk=commons_pk, state=Commons.State.PUBLISHED).first()
    if commons is None:
        logger.info("commons published: %s is gone or not published", commons_pk)
        return 0
    people = topics.not_turned_off(
        Topic.COMMONS, User.objects.filter(~Q(pk=commons.submitted_by_id))
    )
    return digest.add_items(
        people,
        topic=Topic.COMMONS,
        kind="commons_published",
        group_key="commons",
        group_title="commons",  # named in the reader's language by the digest
        title=commons.name,
        url=commons.get_absolute_url(),
        happened_at=commons.moderated_at or timezone.now(),
    )
