import functools

import pytest
from django.utils import translation

from tests.concurrency import needs_postgresql, run_together
from tests.factories import UserFactory
from tests.workshops.factories import (
    MeetingFactory,
    PastMeetingFactory,
    SignupFactory,
    WorkshopFactory,
)
from workshops import services
from workshops.models import Attendance, Meeting, Workshop, WorkshopSignup


@pytest.mark.django_db
def test_sign_up_twice_signs_up_once(person):
    workshop = WorkshopFactory()
    services.sign_up(workshop, person)
    services.sign_up(workshop, person)
    assert WorkshopSignup.objects.filter(workshop=workshop).count() == 1


@pytest.mark.django_db
def test_sign_up_full_workshop_raises(person):
    workshop = WorkshopFactory(capacity=2)
    SignupFactory.create_batch(2, workshop=workshop)
    # The message is read in French; a request in English earlier in the run must not leak here.
    with translation.override("fr"), pytest.raises(services.WorkshopError, match="complet"):
        services.sign_up(workshop, person)


@pytest.mark.django_db
def test_sign_up_when_already_in_a_full_workshop_is_fine(person):
    workshop = WorkshopFactory(capacity=1)
    SignupFactory(workshop=workshop, person=person)
    assert services.sign_up(workshop, person).person == person


@pytest.mark.django_db
def test_sign_up_to_cancelled_or_past_meeting_raises(person):
    cancelled = WorkshopFactory(
        meeting=MeetingFactory(status=Meeting.Status.CANCELLED, cancellation_reason="Rain")
    )
    past = WorkshopFactory(meeting=PastMeetingFactory())
    for workshop in (cancelled, past):
        with pytest.raises(services.WorkshopError):
            services.sign_up(workshop, person)


@pytest.mark.django_db(transaction=True)
def test_sign_up_capacity_holds_under_concurrency():
    needs_postgresql()
    workshop = WorkshopFactory(capacity=1)
    people = UserFactory.create_batch(4)
    errors = run_together(*(lambda p=p: services.sign_up(workshop, p) for p in people))

    assert [type(error) for error in errors].count(type(None)) == 1
    assert all(isinstance(e, services.WorkshopError) for e in errors if e is not None)
    assert WorkshopSignup.objects.filter(workshop=workshop).count() == 1


@pytest.mark.django_db
def test_propose_workshop_makes_proposer_facilitator(person):
    meeting = MeetingFactory()
    workshop = services.propose_workshop(meeting, person, title="Compost", capacity=None)
    assert list(workshop.facilitators.all()) == [person]
    assert workshop.hidden is False


@pytest.mark.django_db
def test_propose_workshop_for_past_meeting_raises(person):
    with pytest.raises(services.WorkshopError):
        services.propose_workshop(PastMeetingFactory(), person, title="Late")


@pytest.mark.django_db
def test_record_attendance_twice_records_once_and_recomputes_membership_on_commit(
    facilitator, person, django_capture_on_commit_callbacks
):
    meeting = PastMeetingFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.record_attendance(meeting, person, facilitator)
        second = services.record_attendance(meeting, person, facilitator)
    assert (first[1], second[1]) == (True, False)
    assert Attendance.objects.count() == 1
    assert enqueued_tasks(callbacks) == [RECOMPUTE(person)]


@pytest.mark.django_db
def test_record_attendance_at_workshop_is_separate_from_meeting(facilitator, person):
    workshop = WorkshopFactory(meeting=PastMeetingFactory())
    services.record_attendance(workshop.meeting, person, facilitator)
    services.record_attendance(workshop.meeting, person, facilitator, workshop)
    services.record_attendance(workshop.meeting, person, facilitator, workshop)
    assert Attendance.objects.count() == 2


@pytest.mark.django_db
def test_record_attendance_refuses_workshop_of_another_meeting(facilitator, person):
    with pytest.raises(services.WorkshopError):
        services.record_attendance(MeetingFactory(), person, facilitator, WorkshopFactory())


@pytest.mark.django_db
def test_undo_attendance_removes_and_recomputes_membership(
    facilitator, person, django_capture_on_commit_callbacks
):
    meeting = PastMeetingFactory()
    services.record_attendance(meeting, person, facilitator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.undo_attendance(meeting, person) is True
        assert services.undo_attendance(meeting, person) is False
    assert Attendance.objects.count() == 0
    assert enqueued_tasks(callbacks) == [RECOMPUTE(person)]


def RECOMPUTE(person):
    return ("workshops.recompute_memberships", {"person_ids": [person.pk]})


def enqueued_tasks(callbacks):
    """(task name, kwargs) of each delay_on_commit() among on-commit callbacks."""
    return [
        (callback.func.__self__.name, callback.args[1])
        for callback in callbacks
        if isinstance(callback, functools.partial) and hasattr(callback.func, "__self__")
    ]


@pytest.mark.django_db
def test_register_walk_in_with_email_enqueues_claim_invitation(
    facilitator, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        person, registered = services.register_walk_in(
            meeting, "  Ana  New ", facilitator, email="ana@example.org"
        )
    assert (person.display_name, person.email, registered) == ("Ana New", "ana@example.org", True)
    assert enqueued_tasks(callbacks) == [
        ("assembly.send_claim_invitation", {"user_id": person.pk}),
        RECOMPUTE(person),
    ]
    assert Attendance.objects.get().person == person


@pytest.mark.django_db
def test_register_walk_in_with_known_email_invites_nobody(
    facilitator, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        found, registered = services.register_walk_in(
            MeetingFactory(), "X", facilitator, email=person.email
        )
    assert (found, registered, enqueued_tasks(callbacks)) == (person, False, [RECOMPUTE(person)])


@pytest.mark.django_db
def test_register_walk_in_without_email(facilitator):
    meeting = MeetingFactory()
    person, registered = services.register_walk_in(meeting, "No Mail", facilitator)
    again, registered_again = services.register_walk_in(meeting, "no mail", facilitator)
    assert (person.email, registered, registered_again, again) == (None, True, False, person)
    assert not person.has_usable_password()


@pytest.mark.django_db
def test_set_workshop_hidden_hides_from_public_queryset():
    workshop = WorkshopFactory()
    services.set_workshop_hidden(workshop, True)
    assert list(Workshop.objects.visible()) == []


@pytest.mark.django_db
def test_cancel_meeting_needs_reason():
    meeting = MeetingFactory()
    with pytest.raises(services.WorkshopError):
        services.cancel_meeting(meeting, "  ")
    assert services.cancel_meeting(meeting, "Snow").status == Meeting.Status.CANCELLED


@pytest.mark.django_db
def test_next_meeting_prefetches_visible_workshops_by_signups(django_assert_num_queries):
    PastMeetingFactory()
    meeting = MeetingFactory()
    quiet = WorkshopFactory(meeting=meeting)
    busy = WorkshopFactory(meeting=meeting)
    WorkshopFactory(meeting=meeting, hidden=True)
    SignupFactory.create_batch(2, workshop=busy)
    with django_assert_num_queries(2):
        found = services.next_meeting()
        board = [(w.pk, w.signup_count) for w in found.board]
        assert all(w.meeting is found for w in found.board)
    assert found == meeting
    assert board == [(busy.pk, 2), (quiet.pk, 0)]
