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
    request that saved the data if the broker is down. The write is kept, and so is the task: it
    waits in the database (assembly/deferred.py) until the periodic sweep
    `assembly.enqueue_deferred_tasks` enqueues it once the broker is back."""

    def _enqueue_or_defer(self, args, kwargs):
        try:
            self.apply_async(args, kwargs, retry=False)
        except (BrokerError, OSError):
            # assembly.deferred needs the models, which cannot load before the app registry, and the
            # registry imports this module (assembly/__init__.py): a real import cycle.
            from assembly.deferred import defer  # noqa: PLC0415 - cycle assembly/__init__ -> celery -> models

            logger.exception("broker unreachable: %s deferred until the broker is back", self.name)
            defer(self.name, args, kwargs)

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(self._enqueue_or_defer, args, kwargs))


app = Celery("assembly", task_cls=AssemblyTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
