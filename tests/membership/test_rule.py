"""The membership rule: distinct meetings, the window's boundary, local dates, lapsing."""

import datetime

import pytest
from django.utils import translation

from assembly.models import AssemblyConfiguration
from tests.factories import UserFactory
from tests.membership.factories import (
    AttendanceFactory,
    MeetingFactory,
    WorkshopFactory,
    attend,
    paris,
)
from workshops import membership
from workshops.models import Meeting

pytestmark = pytest.mark.django_db


def eligible_until(person, today):
    membership.recompute(person_ids=[person.pk], today=today, notify=False)
    person.refresh_from_db()
    return person.eligible_until


def test_eligible_until_is_second_most_recent_meeting_plus_window():
    person = UserFactory()
    attend(person, paris(2026, 1, 29), paris(2026, 3, 26), paris(2026, 4, 30))

    assert eligible_until(person, datetime.date(2026, 5, 1)) == datetime.date(2027, 3, 26)


def test_one_meeting_is_not_enough():
    person = UserFactory()
    attend(person, paris(2026, 3, 26))

    assert eligible_until(person, datetime.date(2026, 5, 1)) is None
    assert not person.is_eligible(datetime.date(2026, 5, 1))


def test_meeting_exactly_window_days_ago_still_counts_that_day():
    person = UserFactory()
    attend(person, paris(2025, 11, 27), paris(2026, 6, 25))
    # 2025-11-27 + 365 days = 2026-11-27: the last day that meeting counts.
    until = eligible_until(person, datetime.date(2026, 11, 27))

    assert until == datetime.date(2026, 11, 27)
    assert person.is_eligible(datetime.date(2026, 11, 27))
    assert (datetime.date(2026, 11, 27) - datetime.date(2025, 11, 27)).days == 365


def test_meeting_window_days_plus_one_ago_no_longer_counts():
    person = UserFactory()
    attend(person, paris(2025, 11, 27), paris(2026, 6, 25))
    eligible_until(person, datetime.date(2026, 11, 28))

    assert not person.is_eligible(datetime.date(2026, 11, 28))
    sessions = membership.standing(person, today=datetime.date(2026, 11, 28)).sessions
    assert [m.starts_at.date() for m in sessions] == [datetime.date(2026, 6, 25)]


def test_plenary_and_workshop_of_one_meeting_count_once():
    person = UserFactory()
    evening = MeetingFactory(starts_at=paris(2026, 3, 26))
    AttendanceFactory(person=person, meeting=evening)
    AttendanceFactory(person=person, meeting=evening, workshop=WorkshopFactory(meeting=evening))
    AttendanceFactory(person=person, meeting=evening, workshop=WorkshopFactory(meeting=evening))

    assert eligible_until(person, datetime.date(2026, 4, 1)) is None
    assert membership.standing(person, today=datetime.date(2026, 4, 1)).sessions_needed == 1


def test_workshop_attendance_alone_counts_as_attending_the_meeting():
    person = UserFactory()
    attend(person, paris(2026, 2, 26), paris(2026, 3, 26), workshop=True)

    assert eligible_until(person, datetime.date(2026, 4, 1)) == datetime.date(2027, 2, 26)


def test_two_meetings_on_the_same_day_are_two_sessions():
    person = UserFactory()
    attend(person, paris(2026, 3, 26, 10), paris(2026, 3, 26, 18))

    assert eligible_until(person, datetime.date(2026, 4, 1)) == datetime.date(2027, 3, 26)


def test_cancelled_meeting_does_not_count():
    person = UserFactory()
    _held, cancelled = attend(person, paris(2026, 2, 26), paris(2026, 3, 26))
    Meeting.objects.filter(pk=cancelled.pk).update(status="cancelled", cancellation_reason="Storm")

    assert eligible_until(person, datetime.date(2026, 4, 1)) is None


def test_meeting_date_is_the_local_date_not_the_utc_date():
    person = UserFactory()
    # 00:30 in Paris on 15 March is still 14 March in UTC (23:30): the local date counts.
    late, _other = attend(person, paris(2026, 3, 15, 0, 30), paris(2026, 4, 30))
    assert late.starts_at.astimezone(datetime.UTC).date() == datetime.date(2026, 3, 14)

    assert eligible_until(person, datetime.date(2026, 5, 1)) == datetime.date(2027, 3, 15)


def test_meeting_at_half_past_eleven_in_paris_keeps_its_date():
    person = UserFactory()
    attend(person, paris(2026, 3, 14, 23, 30), paris(2026, 4, 30))

    assert eligible_until(person, datetime.date(2026, 5, 1)) == datetime.date(2027, 3, 14)


def test_local_midnight_boundary_of_the_window_on_the_last_day():
    person = UserFactory()
    # Held 00:30 Paris on 2025-11-27 (UTC: the 26th). It still counts on 2026-11-27.
    attend(person, paris(2025, 11, 27, 0, 30), paris(2026, 6, 25))
    today = datetime.date(2026, 11, 27)

    assert eligible_until(person, today) == today
    assert len(membership.standing(person, today=today).sessions) == 2


def test_meeting_later_than_today_does_not_count_yet():
    person = UserFactory()
    attend(person, paris(2026, 3, 26), paris(2026, 5, 28))

    assert eligible_until(person, datetime.date(2026, 5, 27)) is None
    assert eligible_until(person, datetime.date(2026, 5, 28)) == datetime.date(2027, 3, 26)


def test_configured_number_of_sessions_and_window_apply():
    AssemblyConfiguration.objects.update_or_create(
        pk=1, defaults={"membership_min_sessions": 3, "membership_window_days": 180}
    )
    person = UserFactory()
    attend(person, paris(2026, 1, 29), paris(2026, 3, 26), paris(2026, 4, 30))

    assert eligible_until(person, datetime.date(2026, 5, 1)) == datetime.date(2026, 7, 28)


def test_recompute_for_given_people_leaves_others_alone():
    counted, untouched = UserFactory(), UserFactory()
    for person in (counted, untouched):
        attend(person, paris(2026, 2, 26), paris(2026, 3, 26))

    membership.recompute(person_ids=[counted.pk], today=datetime.date(2026, 4, 1), notify=False)

    counted.refresh_from_db()
    untouched.refresh_from_db()
    assert counted.eligible_until == datetime.date(2027, 2, 26)
    assert untouched.eligible_until is None


def test_recompute_for_everyone_sets_and_clears_eligibility():
    eligible, newcomer = UserFactory(), UserFactory(eligible_until=datetime.date(2030, 1, 1))
    attend(eligible, paris(2026, 2, 26), paris(2026, 3, 26))
    attend(newcomer, paris(2026, 3, 26))

    membership.recompute(today=datetime.date(2026, 4, 1), notify=False)

    eligible.refresh_from_db()
    newcomer.refresh_from_db()
    assert eligible.eligible_until == datetime.date(2027, 2, 26)
    assert newcomer.eligible_until is None


def test_recompute_writes_only_the_rows_whose_date_changed():
    eligible, stale, nobody = (
        UserFactory(),
        UserFactory(eligible_until=datetime.date(2030, 1, 1)),
        UserFactory(),
    )
    attend(eligible, paris(2026, 2, 26), paris(2026, 3, 26))

    first = membership.recompute(today=datetime.date(2026, 4, 1), notify=False)
    again = membership.recompute(today=datetime.date(2026, 4, 2), notify=False)
    attend(nobody, paris(2026, 4, 2), paris(2026, 4, 3))
    third = membership.recompute(today=datetime.date(2026, 4, 3), notify=False)

    # The eligible person gains a date and the stale one loses theirs (date -> NULL); someone with
    # no date before or after (NULL -> NULL) is not rewritten, nor is anyone on a second run.
    assert first.changed == 2
    assert again.changed == 0
    assert third.changed == 1
    stale.refresh_from_db()
    nobody.refresh_from_db()
    assert stale.eligible_until is None
    assert nobody.eligible_until == datetime.date(2027, 4, 2)


def test_member_no_longer_eligible_lapses_at_next_recompute():
    person = UserFactory()
    attend(person, paris(2025, 2, 27), paris(2025, 3, 27))
    membership.declare(person, now=paris(2025, 4, 1))
    assert person.is_member(datetime.date(2025, 4, 1))

    report = membership.recompute(today=datetime.date(2026, 2, 28), notify=False)

    person.refresh_from_db()
    assert report.lapsed == 1
    assert person.membership_declared_at is None
    assert person.eligible_until == datetime.date(2026, 2, 27)


def test_member_still_eligible_does_not_lapse():
    person = UserFactory()
    attend(person, paris(2025, 2, 27), paris(2025, 3, 27))
    membership.declare(person, now=paris(2025, 4, 1))

    report = membership.recompute(today=datetime.date(2026, 2, 27), notify=False)

    person.refresh_from_db()
    assert report.lapsed == 0
    assert person.is_member(datetime.date(2026, 2, 27))


def test_lapsed_member_qualifies_and_declares_again():
    person = UserFactory()
    attend(person, paris(2025, 2, 27), paris(2025, 3, 27))
    membership.declare(person, now=paris(2025, 4, 1))
    membership.recompute(today=datetime.date(2026, 3, 1), notify=False)
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))

    membership.declare(person, now=paris(2026, 5, 1))

    assert person.is_member(datetime.date(2026, 5, 1))
    assert person.eligible_until == datetime.date(2027, 3, 26)
    assert person.membership_declared_at == paris(2026, 5, 1)


def test_declare_when_not_eligible_is_refused_with_a_reason():
    person = UserFactory()
    attend(person, paris(2026, 3, 26))

    with (
        translation.override("en"),
        pytest.raises(membership.MembershipError, match="2 sessions in the last 365 days"),
    ):
        membership.declare(person, now=paris(2026, 4, 1))

    person.refresh_from_db()
    assert person.membership_declared_at is None


def test_declare_counts_attendance_recorded_moments_ago():
    person = UserFactory()
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))  # no recompute has run yet

    membership.declare(person, now=paris(2026, 4, 30, 21))

    assert person.is_member(datetime.date(2026, 4, 30))


def test_declare_twice_keeps_the_first_date():
    person = UserFactory()
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))
    membership.declare(person, now=paris(2026, 5, 1))

    membership.declare(person, now=paris(2026, 5, 2))

    assert person.membership_declared_at == paris(2026, 5, 1)


@pytest.mark.parametrize("people", [1, 3])
def test_recompute_runs_a_constant_number_of_queries(people, django_assert_num_queries):
    AssemblyConfiguration.get()
    persons = [UserFactory() for _ in range(people)]
    for person in persons:
        attend(person, paris(2026, 2, 26), paris(2026, 3, 26))

    # config, savepoint, eligible before, update, eligible now, lapsing, expiring, insert, release
    with django_assert_num_queries(9):
        membership.recompute(person_ids=[p.pk for p in persons], today=datetime.date(2026, 4, 1))


@pytest.mark.parametrize("people", [1, 3])
def test_recompute_lapsing_members_runs_a_constant_number_of_queries(
    people, django_assert_num_queries
):
    AssemblyConfiguration.get()
    persons = [
        UserFactory(
            membership_declared_at=paris(2025, 1, 1), eligible_until=datetime.date(2026, 1, 1)
        )
        for _ in range(people)
    ]

    with django_assert_num_queries(10):
        membership.recompute(today=datetime.date(2026, 4, 1))

    for person in persons:
        person.refresh_from_db()
        assert person.membership_declared_at is None
