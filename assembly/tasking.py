"""How the apps hand work to Celery: by a task's registered name, once the transaction commits.

Services enqueue tasks by name (`enqueue_on_commit("decisions.announce_discussion", decision_id=…)`)
rather than by importing the `tasks` module that wraps them: a periodic task calls a service, so a
service importing its tasks would close a circle. The name is looked up in the Celery app's own
registry (`app.tasks[name]`), not sent blindly with `send_task`, so that eager mode in the tests and
the broker-down fallback below keep working, and an unknown name fails at once (KeyError).
"""

import functools
import logging

from celery import current_app
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

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
            # assembly.deferred needs the models, which cannot load before the app registry, and
            # the Celery app (config/celery.py, loaded by config/__init__.py) names this class.
            from assembly.deferred import defer  # noqa: PLC0415 - cycle config -> tasking -> models

            logger.exception("broker unreachable: %s deferred until the broker is back", self.name)
            defer(self.name, args, kwargs)

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(self._enqueue_or_defer, args, kwargs))


def registered_task(name: str):
    """The task registered under `name` in the Celery app; KeyError for a name nobody registered.

    A web process has not necessarily imported every app's tasks.py (a worker does at start):
    the first unknown name loads them all (Celery's autodiscovery), then looks again."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def enqueue_on_commit(name: str, **kwargs) -> None:
    """Enqueue the task registered as `name` with keyword arguments once the transaction commits
    (at once outside a transaction); a broker that is down defers it (AssemblyTask)."""
    registered_task(name).delay_on_commit(**kwargs)
