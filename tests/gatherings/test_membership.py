"""Attendance at a gathering counts as one session for membership when its organisers say so
(issue 27, item 9): a check-in at the welcome desk is attendance at the gathering's own meeting,
which carries the organisers' switch."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from gatherings import services
from tests.factories import UserFactory
from tests.workshops.factories import AttendanceFactory
from workshops import membership
from workshops import services as workshop_services

pytestmark = pytest.mark.django_db


def past_gathering(**fields):
    """A two-day gathering that ended three days ago, its welcome desk open."""
    today = timezone.localdate()
    g = services.create_gathering(
        by=UserFactory(),
        title="Rencontre passée",
        slug="passee",
        starts_on=today - datetime.timedelta(days=4),
        ends_on=today - datetime.timedelta(days=3),
        **fields,
    )
    services.open_welcome_desk(g)
    g.refresh_from_db()
    return g


def check_in(g, person, *, times=1):
    for _tap in range(times):
        workshop_services.record_attendance(g.meeting, person, None, client_id=uuid.uuid4())


def eligible(person) -> bool:
    membership.recompute(person_ids=[person.pk], notify=False)
    person.refresh_from_db()
    return person.is_eligible(timezone.localdate())


def test_a_gathering_counts_by_default_once_however_many_checkins_and_sessions():
    g = past_gathering()
    person = UserFactory()
    check_in(g, person, times=3)  # checked in on each day, and again by a second phone
    assert not eligible(person)  # one session of the two the rule asks

    AttendanceFactory(person=person)

    assert g.counts_for_membership and g.meeting.counts_for_membership
    assert eligible(person)
    assert membership.standing(person).sessions_needed == 0
    assert len(membership.standing(person).sessions) == 2


def test_a_checkin_at_a_gathering_whose_switch_is_off_does_not_count():
    g = past_gathering(counts_for_membership=False)
    person = UserFactory()
    check_in(g, person)
    AttendanceFactory(person=person)

    assert g.meeting.counts_for_membership is False
    assert not eligible(person)
    assert [m.pk for m in membership.standing(person).sessions] != [g.meeting_id]
    assert len(membership.standing(person).sessions) == 1


def test_turning_the_switch_off_afterwards_takes_the_session_back(
    django_capture_on_commit_callbacks,
):
    g = past_gathering()
    person = UserFactory()
    check_in(g, person)
    AttendanceFactory(person=person)
    assert eligible(person)

    with django_capture_on_commit_callbacks() as callbacks:
        services.update_gathering(g, counts_for_membership=False)

    g.meeting.refresh_from_db()
    assert g.meeting.counts_for_membership is False
    assert len(callbacks) == 1  # the attendees' recompute, enqueued once it commits
    assert not eligible(person)


def test_the_desk_opened_after_the_switch_was_turned_off_follows_it():
    g = past_gathering(counts_for_membership=True)
    today = timezone.localdate()
    other = services.create_gathering(
        by=UserFactory(),
        title="Sans compter",
        slug="sans-compter",
        starts_on=today,
        ends_on=today,
        counts_for_membership=False,
    )

    meeting = services.open_welcome_desk(other)

    assert (g.meeting.counts_for_membership, meeting.counts_for_membership) == (True, False)


def test_organisers_turn_the_switch_in_the_gatherings_form(client):
    g = past_gathering()
    organiser = g.organisers.get().person
    client.force_login(organiser)
    edit = reverse("gatherings:edit", args=[g.slug])

    form = client.get(edit).content.decode()
    client.post(
        edit,
        {
            "title": g.title,
            "starts_on": g.starts_on.isoformat(),
            "ends_on": g.ends_on.isoformat(),
            "description": "",
            "workshop_split_threshold": 50,
            "plenary_split_threshold": 100,
            # counts_for_membership left unticked: off
        },
    )
    organise = client.get(reverse("gatherings:organise", args=[g.slug])).content.decode()

    g.refresh_from_db()
    g.meeting.refresh_from_db()
    assert 'name="counts_for_membership"' in form
    assert (g.counts_for_membership, g.meeting.counts_for_membership) == (False, False)
    assert "ne compte pas pour l’adhésion" in organise
