"""The assembly package's tasks, and the beat schedule that the composition root holds."""

import datetime

import pytest
import time_machine
from celery.schedules import crontab

from assembly.models import Delivery
from assembly.notifications import STUCK_AFTER
from assembly.tasks import expire_stuck_deliveries
from config.celery import app

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)


def test_beat_expires_stuck_deliveries_every_ten_minutes(settings):
    by_task = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert by_task["assembly.expire_stuck_deliveries"] == crontab(minute="*/10")


def test_every_beat_entry_names_a_registered_task(settings):
    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert tasks <= set(app.tasks)


@pytest.mark.django_db
def test_expire_stuck_deliveries_task_leaves_recent_claims_alone(person):
    stuck = Delivery.objects.create(
        person=person, topic="meeting:1", kind="reminder-1d", state="sending", claimed_at=NOW
    )
    recent = Delivery.objects.create(
        person=person, topic="meeting:2", kind="reminder-1d", state="sending",
        claimed_at=NOW + STUCK_AFTER,
    )  # fmt: skip

    with time_machine.travel(NOW + STUCK_AFTER + datetime.timedelta(seconds=1), tick=False):
        assert expire_stuck_deliveries() == 1
        assert expire_stuck_deliveries() == 0

    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert (stuck.state, recent.state) == ("uncertain", "sending")
