"""The Celery app: configured from Django settings (CELERY_*), tasks found in each app's tasks.py.

`celery worker --beat-thread` runs beat in a thread of the worker process: the small profile's
scheduler (config/profiles.py). Celery's own `--beat` forks a process for it, a copy of the whole
application that costs tens of megabytes for one timer.
"""

import os

from celery import Celery, bootsteps
from celery.beat import EmbeddedService
from celery.bin.base import CeleryOption

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# The main name stays "assembly" (task names are all explicit, but it keeps workers of an older
# deployment and this one on the same queue names during an upgrade).
app = Celery("assembly", task_cls="assembly.tasking:AssemblyTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class BeatThread(bootsteps.StartStopStep):
    """beat in a thread of the worker, started and stopped with it (`--beat-thread`)."""

    label = "Beat thread"
    conditional = True

    def __init__(self, worker, beat_thread=False, **options):
        self.enabled = beat_thread
        super().__init__(worker, **options)

    def create(self, worker):
        return EmbeddedService(
            worker.app,
            thread=True,
            schedule_filename=worker.schedule_filename,
            scheduler_cls=worker.scheduler,
        )


app.user_options["worker"].add(
    CeleryOption(
        ("--beat-thread",),
        is_flag=True,
        default=False,
        help_group="Embedded Beat Options",
        help="Run beat in a thread of this worker (the small profile) instead of a process.",
    )
)
app.steps["worker"].add(BeatThread)
