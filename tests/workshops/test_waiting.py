"""Workshops whose notes are missing after the meeting, for the people who host or proposed them
(Workshop.objects.notes_missing_for)."""

import datetime

import pytest

from tests.factories import UserFactory
from tests.workshops.factories import MeetingFactory, WorkshopFactory
from workshops import services
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def held(days_ago: int, **kwargs):
    starts_at = NOW - days_ago * DAY
    return MeetingFactory(
        starts_at=starts_at, ends_at=starts_at + 3 * datetime.timedelta(hours=1), **kwargs
    )


def missing(person, now=NOW):
    return list(Workshop.objects.notes_missing_for(person, now))


def test_notes_wait_for_the_proposer_and_the_hosts_after_the_meeting():
    proposer, host = UserFactory(), UserFactory()
    workshop = WorkshopFactory(meeting=held(days_ago=2), proposed_by=proposer)
    workshop.facilitators.add(host)

    assert missing(proposer) == [workshop]
    assert missing(host) == [workshop]
    assert missing(UserFactory()) == []


def test_notes_stop_waiting_once_written():
    workshop = WorkshopFactory(meeting=held(days_ago=2))

    services.write_workshop_notes(workshop, "We planted leeks.")

    assert missing(workshop.proposed_by) == []


def test_notes_are_not_asked_before_the_meeting_nor_long_after_it():
    upcoming = WorkshopFactory(meeting=MeetingFactory(starts_at=NOW + DAY))
    old = WorkshopFactory(meeting=held(days_ago=90))

    assert missing(upcoming.proposed_by) == []
    assert missing(old.proposed_by) == []


def test_notes_are_not_asked_of_hidden_workshops_nor_cancelled_meetings():
    hidden = WorkshopFactory(meeting=held(days_ago=2), hidden=True)
    cancelled = WorkshopFactory(
        meeting=held(days_ago=2, status="cancelled", cancellation_reason="Snow")
    )

    assert missing(hidden.proposed_by) == []
    assert missing(cancelled.proposed_by) == []


def test_notes_missing_come_most_recent_meeting_first():
    person = UserFactory()
    older = WorkshopFactory(meeting=held(days_ago=30), proposed_by=person)
    newer = WorkshopFactory(meeting=held(days_ago=2), proposed_by=person)

    assert missing(person) == [newer, older]
