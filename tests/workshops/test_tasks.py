import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings

from tests.factories import UserFactory
from tests.workshops.factories import AttendanceFactory, MeetingFactory
from workshops.models import Meeting
from workshops.permissions import can_write_plenary_notes
from workshops.tasks import mark_meetings_held, plan_upcoming_meetings


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


@pytest.mark.django_db
def test_held_task_marks_an_ended_meeting_held_once_and_notes_follow():

    paris = ZoneInfo("Europe/Paris")
    starts = datetime.datetime(2026, 3, 26, 18, tzinfo=paris)
    meeting = MeetingFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))
    present = AttendanceFactory(meeting=meeting, person=UserFactory()).person
    with time_machine.travel(datetime.datetime(2026, 3, 26, 20, tzinfo=paris), tick=False):
        assert mark_meetings_held() == 0
    with time_machine.travel(datetime.datetime(2026, 3, 27, 0, 5, tzinfo=paris), tick=False):
        assert mark_meetings_held() == 1
        assert mark_meetings_held() == 0
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.HELD
        assert can_write_plenary_notes(present, meeting)


def test_beat_marks_meetings_held_daily():

    by_task = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    schedule = by_task["workshops.mark_meetings_held"]
    assert isinstance(schedule, crontab)
    assert (len(schedule.hour), len(schedule.minute), len(schedule.day_of_week)) == (1, 1, 7)
