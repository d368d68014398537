"""Tasks the broker could not take: kept in the database, enqueued again once it is back.

When Redis stops, a web request that saved something still answers (assembly/tasking.py,
`AssemblyTask.delay_on_commit`); the task that should follow the write (a membership recompute,
a cancellation notice, a subscription's confirmation…) is then written here instead of being lost.
The periodic sweep `assembly.enqueue_deferred_tasks` (CELERY_BEAT_SCHEDULE) runs on a worker, so
only once the broker answers again, and enqueues each one. Every task is idempotent: one enqueued
twice (a worker killed between the enqueue and the delete) still does each thing once.
"""

import logging

from django.db import DatabaseError, transaction
from kombu.exceptions import OperationalError as BrokerError

from .models import DeferredTask

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerError, OSError)
BATCH = 500


def defer(name: str, args, kwargs) -> DeferredTask | None:
    """Keep a task the broker refused; None when the database does not answer either."""
    try:
        return DeferredTask.objects.create(name=name, args=list(args or ()), kwargs=kwargs or {})
    except DatabaseError:
        logger.exception("neither broker nor database answer: %s %s is lost", name, kwargs)
        return None


def enqueue_deferred(app, limit: int = BATCH) -> int:
    """Enqueue the oldest deferred tasks on `app`'s broker and forget them; stops at the first
    broker error (the rest wait for the next sweep). Returns how many rows it took off."""
    enqueued = []
    with transaction.atomic():
        rows = list(DeferredTask.objects.select_for_update(skip_locked=True)[:limit])
        for row in rows:
            task = app.tasks.get(row.name)
            if task is None:
                # A task renamed or removed by an upgrade: nothing could ever run it.
                logger.error("deferred task %s is unknown; dropped (%s)", row.name, row.kwargs)
                enqueued.append(row.pk)
                continue
            try:
                task.apply_async(row.args, row.kwargs, retry=False)
            except BROKER_ERRORS:
                logger.exception("broker unreachable again: deferred tasks wait for next sweep")
                break
            enqueued.append(row.pk)
        DeferredTask.objects.filter(pk__in=enqueued).delete()
    if enqueued:
        logger.info("deferred tasks enqueued: %s", len(enqueued))
    return len(enqueued)
