import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings

from workshops.models import Meeting
from workshops.tasks import plan_upcoming_meetings


@pytest.mark.django_db
def test_plan_task_twice_plans_once():
    with time_machine.travel(
        datetime.datetime(2026, 11, 2, 9, tzinfo=ZoneInfo("Europe/Paris")), tick=False
    ):
        assert plan_upcoming_meetings() == 3
        assert plan_upcoming_meetings() == 0
    assert Meeting.objects.count() == 3


def test_beat_schedule_names_the_tasks():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"workshops.plan_upcoming_meetings", "workshops.send_meeting_reminders"} <= tasks


def test_beat_plans_daily_and_sends_reminders_every_fifteen_minutes():

    by_task = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    planner, reminders = (
        by_task["workshops.plan_upcoming_meetings"],
        by_task["workshops.send_meeting_reminders"],
    )
    assert isinstance(planner, crontab)
    assert (len(planner.hour), len(planner.minute), len(planner.day_of_week)) == (1, 1, 7)
    assert reminders == crontab(minute="*/15")
