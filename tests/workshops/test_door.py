"""The sheet at the door: the people expected, accent-free search, ids made on the phone, the
whole workshop ticked after a confirmation, walk-ins ticked into a workshop, hosts ticking."""

import datetime
import uuid
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from assembly.models import User
from tests.factories import UserFactory
from tests.workshops.factories import (
    AttendanceFactory,
    MeetingFactory,
    PastMeetingFactory,
    SignupFactory,
    WorkshopFactory,
)
from workshops import services
from workshops.models import Attendance, Meeting

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def _past(days):
    starts = timezone.now() - datetime.timedelta(days=days)
    return PastMeetingFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))


# --- The people expected -------------------------------------------------------------------------


@pytest.mark.django_db
def test_door_list_orders_signed_up_then_hosts_then_recent_attendees():
    meeting = MeetingFactory()
    host = UserFactory(display_name="Aline Hôte")
    meeting.hosts.add(host)
    workshop = WorkshopFactory(meeting=meeting, title="Compost", proposed_by=None)
    signed = SignupFactory(
        workshop=workshop, person=UserFactory(display_name="Zoé Inscrite")
    ).person
    regular = UserFactory(display_name="Bruno Habitué")
    AttendanceFactory(meeting=_past(30), person=regular)
    old = UserFactory(display_name="Ancien Lointain")
    AttendanceFactory(meeting=_past(120), person=old)
    for days in (10, 40, 70):  # three more recent meetings push the old one out
        _past(days)

    rows = services.door_list(meeting)

    assert [(person.display_name, [w.title for w in signed_up]) for person, signed_up in rows] == [
        ("Zoé Inscrite", ["Compost"]),
        ("Aline Hôte", []),
        ("Bruno Habitué", []),
    ]
    assert signed in [person for person, _ in rows]


@pytest.mark.django_db
def test_door_list_counts_a_workshop_host_once_with_their_sign_up():
    meeting = MeetingFactory()
    workshop = WorkshopFactory(meeting=meeting, title="Atelier vélo")
    SignupFactory(workshop=workshop, person=workshop.proposed_by)

    rows = services.door_list(meeting)

    assert [(p, [w.title for w in s]) for p, s in rows] == [
        (workshop.proposed_by, ["Atelier vélo"])
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_sheet_lists_the_people_expected_in_constant_queries(
    facilitator_client, warm_configuration, django_assert_num_queries, count
):
    meeting = MeetingFactory()
    for index in range(count):
        workshop = WorkshopFactory(meeting=meeting, title=f"Atelier {index}")
        SignupFactory(workshop=workshop)
        AttendanceFactory(meeting=_past(10 + index), person=UserFactory())

    with django_assert_num_queries(10):
        response = facilitator_client.get(reverse("meetings:attendance", args=[meeting.pk]))

    page = response.content.decode()
    # Each workshop's proposer, its signed-up person, and a regular from a recent meeting.
    assert page.count('class="attendance-person"') == 3 * count
    assert page.count("Tick everyone signed up to") + page.count("Cocher tous") == count


@pytest.mark.django_db
def test_sheet_preselects_the_workshop_a_person_signed_up_to(facilitator_client):
    meeting = MeetingFactory()
    WorkshopFactory(meeting=meeting, title="Autre", proposed_by=None)
    workshop = WorkshopFactory(meeting=meeting, title="Compost", proposed_by=None)
    SignupFactory(workshop=workshop, person=UserFactory(display_name="Zoé"))

    page = facilitator_client.get(reverse("meetings:attendance", args=[meeting.pk])).content

    assert f'<option value="{workshop.pk}" selected>Compost</option>'.encode() in page


# --- Search without accents ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Helene", "hélène", "HELENE", "lene", "HELENE@EX"])
def test_search_ignores_accents_and_case(typed):
    helene = UserFactory(display_name="Hélène Dubœuf", email="helene@example.org")
    UserFactory(display_name="Hervé")

    assert list(services.search_people(typed)) == [helene]


@pytest.mark.django_db
def test_search_follows_a_renamed_person():
    person = UserFactory(display_name="Camille")
    person.display_name = "Éloïse"
    person.save(update_fields=["display_name"])

    assert list(services.search_people("eloise")) == [person]


# --- Ids made on the phone -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_tick_sent_twice_with_its_id_counts_once(facilitator):
    meeting = MeetingFactory()
    person = UserFactory()
    client_id = uuid.uuid4()

    first = services.record_attendance(meeting, person, facilitator, client_id=client_id)
    again = services.record_attendance(meeting, person, facilitator, client_id=client_id)

    assert (first[1], again[1]) == (True, False)
    assert list(Attendance.objects.values_list("person", "client_id")) == [(person.pk, client_id)]


@pytest.mark.django_db
def test_two_phones_ticking_one_person_count_once(facilitator):
    meeting = MeetingFactory()
    person = UserFactory()

    services.record_attendance(meeting, person, facilitator, client_id=uuid.uuid4())
    _attendance, created = services.record_attendance(
        meeting, person, facilitator, client_id=uuid.uuid4()
    )

    assert created is False
    assert Attendance.objects.count() == 1


@pytest.mark.django_db
def test_a_walk_in_replayed_registers_nobody_twice(facilitator):
    meeting = MeetingFactory()
    workshop = WorkshopFactory(meeting=meeting)
    client_id = uuid.uuid4()

    first, registered = services.register_walk_in(
        meeting, "Sam Nouveau", facilitator, workshop=workshop, client_id=client_id
    )
    again, registered_again = services.register_walk_in(
        meeting, "Sam Nouveau", facilitator, workshop=workshop, client_id=client_id
    )

    assert (registered, registered_again, again) == (True, False, first)
    assert User.objects.filter(display_name="Sam Nouveau").count() == 1
    assert list(Attendance.objects.values_list("person", "workshop")) == [(first.pk, workshop.pk)]


@pytest.mark.django_db
def test_a_tick_replayed_after_its_undo_is_not_recorded_again(facilitator):
    meeting = MeetingFactory()
    person = UserFactory()
    client_id = uuid.uuid4()
    services.record_attendance(meeting, person, facilitator, client_id=client_id)
    services.undo_attendance(meeting, person)

    _attendance, created = services.record_attendance(
        meeting, person, facilitator, client_id=client_id
    )

    assert created is False
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_tick_replayed_after_a_second_phones_tick_was_undone_is_not_recorded(facilitator):
    meeting = MeetingFactory()
    person = UserFactory()
    first_phone, second_phone = uuid.uuid4(), uuid.uuid4()
    services.record_attendance(meeting, person, facilitator, client_id=first_phone)
    services.record_attendance(meeting, person, facilitator, client_id=second_phone)
    services.undo_attendance(meeting, person)

    services.record_attendance(meeting, person, facilitator, client_id=second_phone)

    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_walk_in_replayed_after_its_undo_is_neither_registered_nor_ticked_again(facilitator):
    meeting = MeetingFactory()
    client_id = uuid.uuid4()
    first, _registered = services.register_walk_in(
        meeting, "Sam Nouveau", facilitator, client_id=client_id
    )
    services.undo_attendance(meeting, first)

    again, registered = services.register_walk_in(
        meeting, "Sam Nouveau", facilitator, client_id=client_id
    )

    assert (again, registered) == (first, False)
    assert User.objects.filter(display_name="Sam Nouveau").count() == 1
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_new_tick_after_an_undo_is_recorded(facilitator):
    meeting = MeetingFactory()
    person = UserFactory()
    services.record_attendance(meeting, person, facilitator, client_id=uuid.uuid4())
    services.undo_attendance(meeting, person)

    _attendance, created = services.record_attendance(
        meeting, person, facilitator, client_id=uuid.uuid4()
    )

    assert created is True
    assert Attendance.objects.count() == 1


@pytest.mark.django_db
def test_queued_tick_replayed_after_its_undo_answers_already_handled(facilitator_client):
    meeting = MeetingFactory()
    person = UserFactory()
    url = reverse("meetings:tick", args=[meeting.pk])
    data = {"person": person.pk, "client_id": str(uuid.uuid4())}
    facilitator_client.post(url, data, HTTP_ACCEPT="application/json")
    facilitator_client.post(url, {"person": person.pk, "action": "undo"})

    replay = facilitator_client.post(url, data, HTTP_ACCEPT="application/json")

    assert replay.json()["status"] == "already"
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_queued_tick_answers_in_json(facilitator_client):
    meeting = MeetingFactory()
    person = UserFactory()
    url = reverse("meetings:tick", args=[meeting.pk])
    data = {"person": person.pk, "client_id": str(uuid.uuid4())}

    first = facilitator_client.post(url, data, HTTP_ACCEPT="application/json")
    replay = facilitator_client.post(url, data, HTTP_ACCEPT="application/json")

    assert (first.json()["status"], replay.json()["status"]) == ("recorded", "already")
    assert Attendance.objects.count() == 1


@pytest.mark.django_db
def test_queued_tick_refused_is_a_conflict_with_its_reason(facilitator_client):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED, cancellation_reason="Grève")
    url = reverse("meetings:tick", args=[meeting.pk])

    response = facilitator_client.post(
        url,
        {"person": UserFactory().pk, "client_id": str(uuid.uuid4())},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 409
    assert response.json()["status"] == "refused"
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_walk_in_form_ticks_into_a_workshop_in_the_same_step(facilitator_client):
    meeting = MeetingFactory()
    workshop = WorkshopFactory(meeting=meeting)

    facilitator_client.post(
        reverse("meetings:walk-in", args=[meeting.pk]),
        {"display_name": "Nour", "email": "", "workshop": workshop.pk},
    )

    assert list(Attendance.objects.values_list("person__display_name", "workshop")) == [
        ("Nour", workshop.pk)
    ]


# --- The whole workshop at once ------------------------------------------------------------------


@pytest.mark.django_db
def test_tick_all_asks_first_then_ticks_everyone_signed_up(facilitator_client):
    meeting = MeetingFactory()
    workshop = WorkshopFactory(meeting=meeting, proposed_by=None)
    people = [SignupFactory(workshop=workshop).person for _ in range(3)]
    url = reverse("meetings:tick-all", args=[meeting.pk, workshop.pk])

    confirmation = facilitator_client.get(url)
    assert Attendance.objects.count() == 0
    assert all(person.display_name in confirmation.content.decode() for person in people)

    facilitator_client.post(url)
    facilitator_client.post(url)  # a second confirmation ticks nobody twice

    assert sorted(Attendance.objects.values_list("person", "workshop")) == sorted(
        (person.pk, workshop.pk) for person in people
    )


# --- Hosts tick their own workshop ---------------------------------------------------------------


def _workshop_on(day):
    starts = datetime.datetime(*day, 18, 0, tzinfo=PARIS)
    meeting = MeetingFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))
    return WorkshopFactory(meeting=meeting)


@pytest.mark.django_db
def test_host_ticks_a_signed_up_participant_on_the_meeting_day(client):
    workshop = _workshop_on((2026, 3, 26))
    participant = SignupFactory(workshop=workshop).person
    client.force_login(workshop.proposed_by)

    with time_machine.travel(datetime.datetime(2026, 3, 26, 19, 0, tzinfo=PARIS), tick=False):
        client.post(
            reverse("meetings:tick", args=[workshop.meeting.pk]),
            {"person": participant.pk, "workshop": workshop.pk},
        )

    assert list(Attendance.objects.values_list("person", "workshop")) == [
        (participant.pk, workshop.pk)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case", ["the day before", "someone not signed up", "at the meeting", "another workshop"]
)
def test_host_cannot_tick_beyond_their_workshop_and_day(client, case):
    workshop = _workshop_on((2026, 3, 26))
    other = WorkshopFactory(meeting=workshop.meeting)
    participant = SignupFactory(workshop=workshop).person
    SignupFactory(workshop=other, person=participant)
    data = {"person": participant.pk, "workshop": workshop.pk}
    when = datetime.datetime(2026, 3, 26, 19, 0, tzinfo=PARIS)
    if case == "the day before":
        when -= datetime.timedelta(days=1)
    elif case == "someone not signed up":
        data["person"] = UserFactory().pk
    elif case == "at the meeting":
        data["workshop"] = ""
    else:
        data["workshop"] = other.pk
    client.force_login(workshop.proposed_by)

    with time_machine.travel(when, tick=False):
        response = client.post(reverse("meetings:tick", args=[workshop.meeting.pk]), data)

    assert response.status_code == 403
    assert Attendance.objects.count() == 0


# --- A meeting's life ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_meetings_become_held_once_their_end_has_passed():
    ended = _past(2)
    running = MeetingFactory(
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    cancelled = _past(3)
    cancelled.status, cancelled.cancellation_reason = Meeting.Status.CANCELLED, "Pluie"
    cancelled.save()

    assert services.mark_meetings_held() == 1
    assert services.mark_meetings_held() == 0  # twice changes nothing more

    statuses = dict(Meeting.objects.values_list("pk", "status"))
    assert [statuses[m.pk] for m in (ended, running, cancelled)] == [
        "held",
        "planned",
        "cancelled",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_host_ticks_from_the_workshop_page_in_constant_queries(
    client, warm_configuration, django_assert_num_queries, count
):
    workshop = _workshop_on((2026, 3, 26))
    people = [SignupFactory(workshop=workshop).person for _ in range(count)]
    client.force_login(workshop.proposed_by)

    with time_machine.travel(datetime.datetime(2026, 3, 26, 18, 30, tzinfo=PARIS), tick=False):
        # the chantier section (issue 15) and the notes' revision (issue 12) ask one each; the
        # people to tick come with whether they are ticked, in one query
        with django_assert_num_queries(12):
            page = client.get(workshop.get_absolute_url()).content.decode()
        response = client.post(
            reverse("meetings:tick", args=[workshop.meeting.pk]),
            {"person": people[0].pk, "workshop": workshop.pk, "next": workshop.get_absolute_url()},
        )

    assert page.count('<input type="hidden" name="person"') == count
    assert response["Location"] == workshop.get_absolute_url()
    assert list(Attendance.objects.values_list("person", "workshop")) == [
        (people[0].pk, workshop.pk)
    ]


@pytest.mark.django_db
def test_workshop_page_shows_its_host_who_is_already_ticked_at_this_workshop(client):
    workshop = _workshop_on((2026, 3, 26))
    here, elsewhere, waiting = (SignupFactory(workshop=workshop).person for _ in range(3))
    AttendanceFactory(person=here, meeting=workshop.meeting, workshop=workshop)
    # Ticked at the plenary only: still to be ticked at the workshop.
    AttendanceFactory(person=elsewhere, meeting=workshop.meeting, workshop=None)
    client.force_login(workshop.proposed_by)

    with time_machine.travel(datetime.datetime(2026, 3, 26, 18, 30, tzinfo=PARIS), tick=False):
        page = client.get(workshop.get_absolute_url()).content.decode()

    offered = {p.pk for p in (here, elsewhere, waiting) if f'name="person" value="{p.pk}"' in page}
    assert offered == {elsewhere.pk, waiting.pk}
    assert page.count("✓") == 1


@pytest.mark.django_db
def test_workshop_page_offers_no_ticks_to_its_host_another_day(client):
    workshop = _workshop_on((2026, 3, 26))
    SignupFactory(workshop=workshop)
    client.force_login(workshop.proposed_by)

    with time_machine.travel(datetime.datetime(2026, 3, 25, 18, 30, tzinfo=PARIS), tick=False):
        page = client.get(workshop.get_absolute_url()).content.decode()

    assert '<input type="hidden" name="person"' not in page
