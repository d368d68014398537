"""The Celery app: configured from Django settings (CELERY_*), tasks found in each app's tasks.py."""

import functools
import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assembly.settings")

logger = logging.getLogger(__name__)


class AssemblyTask(DjangoTask):
    """delay_on_commit(): enqueue only once the transaction has committed, and never fail the web
    request that saved the data if the broker is down. The write is kept; the task's periodic
    sweep (CELERY_BEAT_SCHEDULE, see docs/architecture.md) catches up once the broker is back."""

    def _enqueue_or_log(self, args, kwargs):
        try:
            self.apply_async(args, kwargs, retry=False)
        except (BrokerError, OSError):
            logger.exception(
                "broker unreachable: %s not enqueued; its sweep will catch up", self.name
            )

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(self._enqueue_or_log, args, kwargs))


app = Celery("assembly", task_cls=AssemblyTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
