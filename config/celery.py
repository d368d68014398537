"""The Celery app: configured from Django settings (CELERY_*), tasks found in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# The main name stays "assembly" (task names are all explicit, but it keeps workers of an older
# deployment and this one on the same queue names during an upgrade).
app = Celery("assembly", task_cls="assembly.tasking:AssemblyTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
