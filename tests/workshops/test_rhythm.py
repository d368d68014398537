import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.workshops.factories import VenueFactory
from workshops import services
from workshops.models import Meeting, Rhythm, Workshop
from workshops.rhythm import plan_upcoming_meetings, slot_date, start_time

PARIS = ZoneInfo("Europe/Paris")


def at(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def test_slot_date_last_thursday():
    assert slot_date(2026, 11, Rhythm.Weekday.THURSDAY, Rhythm.Week.LAST) == datetime.date(
        2026, 11, 26
    )
    assert slot_date(2027, 4, Rhythm.Weekday.THURSDAY, Rhythm.Week.LAST) == datetime.date(
        2027, 4, 29
    )


def test_slot_date_first_and_fourth_monday():
    assert slot_date(2026, 12, Rhythm.Weekday.MONDAY, Rhythm.Week.FIRST) == datetime.date(
        2026, 12, 7
    )
    assert slot_date(2026, 12, Rhythm.Weekday.MONDAY, Rhythm.Week.FOURTH) == datetime.date(
        2026, 12, 28
    )


@pytest.mark.django_db
def test_plan_creates_three_last_thursdays_with_initiation():
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        created = plan_upcoming_meetings()
    assert [m.planned_for for m in created] == [
        datetime.date(2026, 11, 26),
        datetime.date(2026, 12, 31),
        datetime.date(2027, 1, 28),
    ]
    assert Workshop.objects.filter(is_initiation=True).count() == 3
    assert all(m.workshops.get().title == "Initiation aux communs" for m in created)


@pytest.mark.django_db
def test_plan_alternates_noon_and_evening_by_month():
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        plan_upcoming_meetings()
    hours = [m.starts_at.astimezone(PARIS).hour for m in Meeting.objects.order_by("starts_at")]
    assert hours in ([12, 18, 12], [18, 12, 18])
    # Deterministic: the same month always gets the same hour.
    rhythm = Rhythm.get()
    assert start_time(rhythm, datetime.date(2026, 11, 26)) != start_time(
        rhythm, datetime.date(2026, 12, 31)
    )


@pytest.mark.django_db
def test_plan_keeps_local_hour_across_dst():
    # The last Thursday of March 2027 (25th) is before the switch, April 29th after it.
    rhythm = Rhythm.get()
    rhythm.start_times = "18:00"
    rhythm.save()
    with time_machine.travel(at(2027, 3, 1, 9), tick=False):
        created = plan_upcoming_meetings()
    march, april = created[0], created[1]
    assert march.starts_at.astimezone(PARIS).hour == 18
    assert april.starts_at.astimezone(PARIS).hour == 18
    assert march.starts_at.astimezone(datetime.UTC).hour == 17
    assert april.starts_at.astimezone(datetime.UTC).hour == 16


@pytest.mark.django_db
def test_plan_twice_creates_nothing():
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        plan_upcoming_meetings()
        assert plan_upcoming_meetings() == []
    assert Meeting.objects.count() == 3
    assert Workshop.objects.count() == 3


@pytest.mark.django_db
def test_plan_after_rule_change_does_not_duplicate_months():
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        plan_upcoming_meetings()
        rhythm = Rhythm.get()
        rhythm.week_of_month = Rhythm.Week.FIRST
        rhythm.months_ahead = 4
        rhythm.save()
        created = plan_upcoming_meetings()
    # Nov, Dec, Jan already have their assembly; only February is new, on its first Thursday.
    assert [m.planned_for for m in created] == [datetime.date(2027, 2, 4)]
    assert Meeting.objects.count() == 4


@pytest.mark.django_db
def test_plan_skips_this_months_slot_once_passed():
    with time_machine.travel(at(2026, 11, 27, 9), tick=False):
        created = plan_upcoming_meetings()
    assert created[0].planned_for == datetime.date(2026, 12, 31)


@pytest.mark.django_db
def test_plan_uses_duration_and_default_venue():

    rhythm = Rhythm.get()
    rhythm.default_venue = VenueFactory()
    rhythm.duration_minutes = 150
    rhythm.save()
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        meeting = plan_upcoming_meetings()[0]
    assert meeting.venue == rhythm.default_venue
    assert meeting.ends_at - meeting.starts_at == datetime.timedelta(minutes=150)


@pytest.mark.django_db
def test_plan_counts_an_assembly_added_by_hand_as_that_months():
    with time_machine.travel(at(2026, 9, 2, 9), tick=False):
        plan_upcoming_meetings()  # September, October, November
    # A facilitator sets December's assembly on the 17th before the planner reaches December.
    services.create_meeting(
        kind=Meeting.Kind.ASSEMBLY,
        title="Assemblée de décembre",
        starts_at=at(2026, 12, 17, 18),
        ends_at=at(2026, 12, 17, 21),
    )
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        created = plan_upcoming_meetings()
    assert [m.planned_for for m in created] == [datetime.date(2027, 1, 28)]
    assert Meeting.objects.filter(starts_at__year=2026, starts_at__month=12).count() == 1


@pytest.mark.django_db
def test_plan_does_not_count_a_coworking_day_as_the_months_assembly():
    services.create_meeting(
        kind=Meeting.Kind.COWORKING,
        title="Coworking",
        starts_at=at(2026, 11, 12, 9),
        ends_at=at(2026, 11, 12, 17),
    )
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        created = plan_upcoming_meetings()
    assert created[0].planned_for == datetime.date(2026, 11, 26)


def test_slot_date_second_and_third_weeks():
    assert slot_date(2026, 11, Rhythm.Weekday.THURSDAY, Rhythm.Week.SECOND) == datetime.date(
        2026, 11, 12
    )
    assert slot_date(2026, 11, Rhythm.Weekday.THURSDAY, Rhythm.Week.THIRD) == datetime.date(
        2026, 11, 19
    )


@pytest.mark.django_db
def test_plan_uses_the_configured_initiation_title_and_description():
    rhythm = Rhythm.get()
    rhythm.initiation_title = "Découvrir les communs"
    rhythm.initiation_description = "Pour les personnes qui viennent pour la première fois."
    rhythm.save()
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        meeting = plan_upcoming_meetings()[0]
    initiation = meeting.workshops.get(is_initiation=True)
    assert (initiation.title, initiation.description) == (
        "Découvrir les communs",
        "Pour les personnes qui viennent pour la première fois.",
    )
