"""The predicates of workshops/permissions.py, asked directly: each looks up its own facts."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.factories import (
    AttendanceFactory,
    MeetingFactory,
    PastMeetingFactory,
    SignupFactory,
    WorkshopFactory,
)
from workshops import permissions
from workshops.models import Meeting, Workshop

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.mark.django_db
def test_notes_are_written_by_whoever_ran_a_workshop_of_the_meeting():
    workshop = WorkshopFactory(meeting=PastMeetingFactory())
    co_facilitator = UserFactory()
    workshop.facilitators.add(co_facilitator)
    for person in (workshop.proposed_by, co_facilitator):
        assert permissions.can_write_plenary_notes(person, workshop.meeting)
        assert permissions.can_write_notes(person, workshop)


@pytest.mark.django_db
def test_notes_refused_to_the_proposer_of_a_hidden_workshop():
    workshop = WorkshopFactory(meeting=PastMeetingFactory(), hidden=True)
    assert not permissions.can_write_plenary_notes(workshop.proposed_by, workshop.meeting)


@pytest.mark.django_db
def test_notes_refused_to_someone_who_only_signed_up():
    signup = SignupFactory(workshop=WorkshopFactory(meeting=PastMeetingFactory()))
    assert not permissions.can_write_notes(signup.person, signup.workshop)


@pytest.mark.django_db
def test_notes_refused_before_the_meeting_even_to_a_facilitator():
    meeting = MeetingFactory()
    assert not permissions.can_write_plenary_notes(FacilitatorFactory(), meeting)


@pytest.mark.django_db
def test_notes_refused_to_an_anonymous_visitor():
    assert not permissions.can_write_plenary_notes(AnonymousUser(), PastMeetingFactory())


@pytest.mark.django_db
def test_taking_part_in_one_meeting_gives_no_notes_of_another(person):
    AttendanceFactory(meeting=PastMeetingFactory(), person=person)
    assert not permissions.can_write_plenary_notes(person, PastMeetingFactory())


@pytest.mark.django_db
def test_taking_part_is_asked_in_one_query(person, django_assert_num_queries):
    meeting = PastMeetingFactory()
    meeting.hosts.add(person)
    with django_assert_num_queries(1):
        assert meeting.was_taken_part_in_by(person)


@pytest.mark.django_db
def test_running_a_workshop_reuses_prefetched_facilitators(django_assert_num_queries):
    workshop = WorkshopFactory()
    helper = UserFactory()
    workshop.facilitators.add(helper)
    loaded = Workshop.objects.prefetch_related("facilitators").get(pk=workshop.pk)
    with django_assert_num_queries(0):
        assert permissions.can_edit_workshop(helper, loaded)


@pytest.mark.django_db
def test_attended_by_counts_plenary_and_workshop_ticks(person):
    plenary = AttendanceFactory(person=person).meeting
    workshop = WorkshopFactory(meeting=PastMeetingFactory())
    AttendanceFactory(meeting=workshop.meeting, workshop=workshop, person=person)
    PastMeetingFactory()
    assert set(Meeting.objects.attended_by(person)) == {plenary, workshop.meeting}


@pytest.mark.django_db
def test_a_persons_signup_to_a_workshop(person):
    signup = SignupFactory(person=person)
    SignupFactory(workshop=signup.workshop)
    assert signup.workshop.signup_of(person) == signup
    assert signup.workshop.signup_of(AnonymousUser()) is None
    assert WorkshopFactory().signup_of(person) is None


@pytest.mark.django_db
def test_the_board_shows_visible_workshops_by_signups_and_hidden_ones_to_facilitators(person):
    meeting = MeetingFactory()
    quiet = WorkshopFactory(meeting=meeting, title="A quiet one")
    busy = WorkshopFactory(meeting=meeting, title="B busy one")
    hidden = WorkshopFactory(meeting=meeting, hidden=True)
    SignupFactory.create_batch(2, workshop=busy)
    WorkshopFactory()  # another meeting's
    board = list(Workshop.objects.on_board(meeting, person))
    assert [(w, w.signup_count) for w in board] == [(busy, 2), (quiet, 0)]
    assert hidden in Workshop.objects.on_board(meeting, FacilitatorFactory())


def _workshop_of_the_day(starts):
    meeting = MeetingFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))
    return WorkshopFactory(meeting=meeting)


@pytest.mark.django_db
def test_hosts_tick_their_workshop_only_on_the_meeting_day():
    starts = datetime.datetime(2026, 3, 26, 18, 0, tzinfo=PARIS)
    workshop = _workshop_of_the_day(starts)
    co_host = UserFactory()
    workshop.facilitators.add(co_host)
    that_evening = starts + datetime.timedelta(hours=4)  # 22:00, still the meeting's day
    for host in (workshop.proposed_by, co_host):
        assert permissions.can_tick_workshop(host, workshop, now=that_evening)
        assert not permissions.can_tick_workshop(
            host, workshop, now=starts - datetime.timedelta(days=1)
        )
        assert not permissions.can_tick_workshop(
            host,
            workshop,
            now=starts + datetime.timedelta(hours=7),  # 01:00 the next day
        )


@pytest.mark.django_db
def test_tick_refused_to_a_participant_and_to_the_host_of_another_workshop():
    starts = datetime.datetime(2026, 3, 26, 18, 0, tzinfo=PARIS)
    workshop = _workshop_of_the_day(starts)
    other = WorkshopFactory(meeting=workshop.meeting)
    participant = SignupFactory(workshop=workshop).person
    for person in (participant, other.proposed_by, AnonymousUser()):
        assert not permissions.can_tick_workshop(person, workshop, now=starts)


@pytest.mark.django_db
def test_tick_refused_to_the_host_of_a_hidden_workshop_but_not_to_a_facilitator():
    starts = datetime.datetime(2026, 3, 26, 18, 0, tzinfo=PARIS)
    workshop = _workshop_of_the_day(starts)
    Workshop.objects.filter(pk=workshop.pk).update(hidden=True)
    workshop.refresh_from_db()
    assert not permissions.can_tick_workshop(workshop.proposed_by, workshop, now=starts)
    assert permissions.can_tick_workshop(FacilitatorFactory(), workshop, now=starts)
