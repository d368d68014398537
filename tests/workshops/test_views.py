import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from commons_registry.models import Category, Commons
from tests.factories import UserFactory
from tests.workshops.board_queries import board_queries
from tests.workshops.factories import (
    AttendanceFactory,
    MeetingFactory,
    PastMeetingFactory,
    SignupFactory,
    WorkshopFactory,
)
from workshops import notes
from workshops.models import Attendance, Meeting, WorkshopSignup
from workshops.views import board

pytestmark = pytest.mark.usefixtures("warm_configuration")


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Agenda --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_agenda_query_count_is_constant(client, django_assert_num_queries, count):
    for _ in range(count):
        WorkshopFactory(meeting=MeetingFactory())
        AttendanceFactory(meeting=PastMeetingFactory())
    with django_assert_num_queries(5):
        response = client.get("/meetings/")
    assert response.status_code == 200
    assert response.content.decode().count('class="card meeting-card') == 2 * count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_agenda_signed_in_query_count_is_constant(person_client, django_assert_num_queries, count):
    for _ in range(count):
        WorkshopFactory(meeting=MeetingFactory())
    with django_assert_num_queries(6):
        response = person_client.get("/meetings/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_agenda_shows_venue_workshop_count_and_cancelled(client):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED, cancellation_reason="Strike")
    WorkshopFactory(meeting=meeting)
    WorkshopFactory(meeting=meeting)
    WorkshopFactory(meeting=meeting, hidden=True)
    page = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert meeting.venue.name in page
    assert "2 workshops" in page
    assert "Cancelled" in page


@pytest.mark.django_db
def test_agenda_chart_summarises_distinct_people_per_meeting(client):
    first, second = (
        PastMeetingFactory(),
        PastMeetingFactory(starts_at=timezone.now() - datetime.timedelta(days=40)),
    )
    someone = UserFactory()
    workshop = WorkshopFactory(meeting=first)
    AttendanceFactory(meeting=first, person=someone)
    AttendanceFactory(meeting=first, person=someone, workshop=workshop)
    AttendanceFactory(meeting=first)
    AttendanceFactory(meeting=second)
    page = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 meetings, 1.5 people per meeting on average" in page
    assert "<svg" in page
    assert "style=" not in page


@pytest.mark.django_db
def test_agenda_empty_states(client):
    page = client.get("/meetings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No meeting is planned yet" in page
    assert "0 meetings" in page


# --- Board ---------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_board_anonymous_query_count_is_constant(client, django_assert_num_queries, count):
    meeting = MeetingFactory()
    meeting.hosts.add(*UserFactory.create_batch(count))
    for _ in range(count):
        SignupFactory(workshop=WorkshopFactory(meeting=meeting))
    # The cards prefetch nothing: neither facilitators nor commons show on them; the hosts are
    # read with the meeting.
    with django_assert_num_queries(board_queries(3, signed_in=False)):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="card workshop-card') == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_board_participant_query_count_is_constant(
    person_client, person, django_assert_num_queries, count
):
    meeting = MeetingFactory()
    for _ in range(count):
        SignupFactory(workshop=WorkshopFactory(meeting=meeting), person=person)
    # The person's sign-ups and the workshops they run: one query, whatever the count (and who
    # edits a card comes from it: no facilitators nor commons prefetched for the cards); the
    # hosts, and on this first view the person's involvement, are read with the meeting.
    with django_assert_num_queries(board_queries(5, signed_in=True)):
        response = person_client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.content.decode().count("I'm out") == count
    # Nothing written since: the meeting, the cards and what differs for this person are kept.
    with django_assert_num_queries(2):
        again = person_client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert again.content.decode().count("I'm out") == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_board_after_meeting_query_count_is_constant(
    person_client, person, django_assert_num_queries, count
):
    meeting = PastMeetingFactory()
    AttendanceFactory(meeting=meeting, person=person)
    for _ in range(count):
        WorkshopFactory(meeting=meeting, notes="Some *notes*")
    # The form carries the latest revision, read with the meeting; the person's sign-ups and
    # the workshops they run: one query, whatever the count (no facilitators nor commons
    # prefetched for the cards); the hosts and that involvement are read with the meeting too.
    with django_assert_num_queries(board_queries(6, signed_in=True)):
        response = person_client.get(meeting.get_absolute_url())
    assert response.content.decode().count("<em>notes</em>") == count
    revision = notes.latest_revision_id(meeting)
    assert f'name="revision" value="{revision}"' in response.content.decode()
    with django_assert_num_queries(2):
        again = person_client.get(meeting.get_absolute_url())
    assert again.content.decode().count("<em>notes</em>") == count


@pytest.mark.django_db
def test_board_orders_workshops_by_signups(client):
    meeting = MeetingFactory()
    quiet = WorkshopFactory(meeting=meeting, title="Quiet")
    busy = WorkshopFactory(meeting=meeting, title="Busy")
    middle = WorkshopFactory(meeting=meeting, title="Middle")
    SignupFactory.create_batch(3, workshop=busy)
    SignupFactory.create_batch(1, workshop=middle)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert page.index("Busy") < page.index("Middle") < page.index(quiet.title)


@pytest.mark.django_db
def test_board_hidden_workshop_vanishes_for_public_and_shows_to_facilitator(client, facilitator):
    meeting = MeetingFactory()
    WorkshopFactory(meeting=meeting, title="Spam spam", hidden=True)
    assert "Spam spam" not in client.get(meeting.get_absolute_url()).content.decode()
    client.force_login(facilitator)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Spam spam" in page
    assert "is-hidden" in page


@pytest.mark.django_db
def test_board_cancelled_meeting_says_so(client):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED, cancellation_reason="Flooded hall")
    page = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This meeting is cancelled." in page
    assert "Flooded hall" in page


@pytest.mark.django_db
def test_board_unknown_meeting_is_404(client):
    assert client.get("/meetings/999999/").status_code == 404


# --- Sign-up -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_up_plain_form_redirects_back_with_message(person_client, person):
    workshop = WorkshopFactory()
    response = person_client.post(
        reverse("workshops:sign-up", args=[workshop.pk]),
        {"action": "in"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert response.url == workshop.meeting.get_absolute_url()
    assert WorkshopSignup.objects.filter(workshop=workshop, person=person).count() == 1
    assert messages_of(response) == [f"You are in “{workshop.title}”."]


@pytest.mark.django_db
def test_sign_up_htmx_returns_the_card(person_client, person):
    workshop = WorkshopFactory()
    response = person_client.post(
        reverse("workshops:sign-up", args=[workshop.pk]),
        {"action": "in"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<article class="card workshop-card')
    assert "1 person in" in page
    assert "I'm out" in page


@pytest.mark.django_db
def test_sign_up_out_removes_the_signup(person_client, person):
    signup = SignupFactory(person=person)
    person_client.post(reverse("workshops:sign-up", args=[signup.workshop.pk]), {"action": "out"})
    assert not WorkshopSignup.objects.filter(pk=signup.pk).exists()


@pytest.mark.django_db
def test_sign_up_full_workshop_refuses_with_message(person_client, person):
    workshop = WorkshopFactory(capacity=1, title="Tiny")
    SignupFactory(workshop=workshop)
    response = person_client.post(
        reverse("workshops:sign-up", args=[workshop.pk]),
        {"action": "in"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "“Tiny” is full (1 places). Pick another workshop." in response.content.decode()
    assert not WorkshopSignup.objects.filter(workshop=workshop, person=person).exists()


@pytest.mark.django_db
def test_sign_up_anonymous_is_sent_to_login(client):
    workshop = WorkshopFactory()
    response = client.post(reverse("workshops:sign-up", args=[workshop.pk]), {"action": "in"})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert WorkshopSignup.objects.count() == 0


@pytest.mark.django_db
def test_volunteer_to_host_adds_self(person_client, person):
    meeting = MeetingFactory()
    response = person_client.post(reverse("meetings:host", args=[meeting.pk]))
    assert response.status_code == 302
    assert list(meeting.hosts.all()) == [person]


@pytest.mark.django_db
def test_volunteer_to_host_anonymous_is_sent_to_login(client):
    meeting = MeetingFactory()
    response = client.post(reverse("meetings:host", args=[meeting.pk]))
    assert response.url.startswith("/accounts/login/")
    assert meeting.hosts.count() == 0


# --- Propose and edit ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_propose_workshop_appears_at_once(person_client, person):
    meeting = MeetingFactory()
    url = f"{reverse('workshops:propose')}?meeting={meeting.pk}"
    assert person_client.get(url).status_code == 200
    response = person_client.post(
        url,
        {
            "title": "Seed swap",
            "description": "Bring seeds",
            "needs_work_tables": "on",
            "capacity": "10",
        },
    )
    assert response.status_code == 302
    workshop = meeting.workshops.get()
    assert (workshop.title, workshop.proposed_by, workshop.capacity) == ("Seed swap", person, 10)
    assert list(workshop.facilitators.all()) == [person]
    assert "Seed swap" in person_client.get(meeting.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_propose_workshop_anonymous_is_sent_to_login(client):
    meeting = MeetingFactory()
    response = client.get(f"{reverse('workshops:propose')}?meeting={meeting.pk}")
    assert response.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_propose_workshop_for_past_meeting_refuses(person_client):
    meeting = PastMeetingFactory()
    url = f"{reverse('workshops:propose')}?meeting={meeting.pk}"
    response = person_client.post(url, {"title": "Too late"})
    assert response.status_code == 302
    assert meeting.workshops.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("participant", 403),
        ("proposer", 200),
        ("co-facilitator", 200),
        ("facilitator", 200),
    ],
)
def test_edit_workshop_permissions(client, facilitator, who, status):
    workshop = WorkshopFactory()
    co = UserFactory()
    workshop.facilitators.add(co)
    users = {
        "participant": UserFactory(),
        "proposer": workshop.proposed_by,
        "co-facilitator": co,
        "facilitator": facilitator,
    }
    if who in users:
        client.force_login(users[who])
    assert client.get(reverse("workshops:edit", args=[workshop.pk])).status_code == status


@pytest.mark.django_db
def test_edit_workshop_saves(client):
    workshop = WorkshopFactory()
    client.force_login(workshop.proposed_by)
    client.post(reverse("workshops:edit", args=[workshop.pk]), {"title": "New title"})
    workshop.refresh_from_db()
    assert workshop.title == "New title"


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), [("participant", 403), ("facilitator", 302)])
def test_hide_workshop_only_facilitators(client, facilitator, who, status):
    workshop = WorkshopFactory()
    client.force_login(facilitator if who == "facilitator" else workshop.proposed_by)
    response = client.post(reverse("workshops:hide", args=[workshop.pk]), {"hidden": "1"})
    workshop.refresh_from_db()
    assert response.status_code == status
    assert workshop.hidden == (who == "facilitator")


@pytest.mark.django_db
def test_workshop_detail_hidden_is_404_for_public(client):
    workshop = WorkshopFactory(hidden=True)
    assert client.get(workshop.get_absolute_url()).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_workshop_detail_query_count_is_constant(person_client, django_assert_num_queries, count):
    workshop = WorkshopFactory()
    workshop.facilitators.add(*UserFactory.create_batch(count))
    SignupFactory.create_batch(count, workshop=workshop)
    # + the chantier the workshop belongs to (a section from workshops.extensions)
    with django_assert_num_queries(9):
        response = person_client.get(workshop.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_workshop_detail_anonymous_query_count_is_constant(
    client, django_assert_num_queries, count
):
    workshop = WorkshopFactory()
    workshop.facilitators.add(*UserFactory.create_batch(count))
    # + the chantier the workshop belongs to (a section from workshops.extensions)
    with django_assert_num_queries(6):
        response = client.get(workshop.get_absolute_url())
    assert response.status_code == 200


# --- Notes ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_plenary_notes_by_attendee_are_shown(person_client, person):
    meeting = PastMeetingFactory()
    AttendanceFactory(meeting=meeting, person=person)
    person_client.post(reverse("meetings:notes", args=[meeting.pk]), {"notes": "We **agreed**."})
    assert (
        "<strong>agreed</strong>" in person_client.get(meeting.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_plenary_notes_refused_to_someone_who_was_not_there(person_client):
    meeting = PastMeetingFactory()
    response = person_client.post(reverse("meetings:notes", args=[meeting.pk]), {"notes": "x"})
    meeting.refresh_from_db()
    assert response.status_code == 403
    assert meeting.plenary_notes == ""


@pytest.mark.django_db
def test_workshop_notes_by_facilitator_of_workshop(client):
    workshop = WorkshopFactory(meeting=PastMeetingFactory())
    client.force_login(workshop.proposed_by)
    client.post(reverse("workshops:notes", args=[workshop.pk]), {"notes": "Done"})
    workshop.refresh_from_db()
    assert workshop.notes == "Done"


@pytest.mark.django_db
def test_plenary_notes_by_a_facilitator_who_was_not_there(facilitator_client):
    meeting = PastMeetingFactory()
    facilitator_client.post(reverse("meetings:notes", args=[meeting.pk]), {"notes": "Minutes"})
    meeting.refresh_from_db()
    assert meeting.plenary_notes == "Minutes"


@pytest.mark.django_db
def test_workshop_notes_by_someone_who_attended_the_meeting(person_client, person):
    workshop = WorkshopFactory(meeting=PastMeetingFactory())
    AttendanceFactory(meeting=workshop.meeting, person=person, workshop=workshop)
    person_client.post(reverse("workshops:notes", args=[workshop.pk]), {"notes": "We *met*."})
    assert "<em>met</em>" in person_client.get(workshop.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_workshop_notes_refused_to_someone_who_was_not_there(person_client):
    workshop = WorkshopFactory(meeting=PastMeetingFactory())
    response = person_client.post(reverse("workshops:notes", args=[workshop.pk]), {"notes": "x"})
    workshop.refresh_from_db()
    assert response.status_code == 403
    assert workshop.notes == ""


@pytest.mark.django_db
def test_workshop_notes_refused_before_the_meeting(client):
    workshop = WorkshopFactory()
    client.force_login(workshop.proposed_by)
    response = client.post(reverse("workshops:notes", args=[workshop.pk]), {"notes": "Early"})
    assert response.status_code == 403


# --- Attendance sheet ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("participant", 403), ("facilitator", 200)]
)
def test_attendance_sheet_permissions(client, facilitator, who, status):
    meeting = MeetingFactory()
    if who == "participant":
        client.force_login(UserFactory())
    elif who == "facilitator":
        client.force_login(facilitator)
    assert client.get(reverse("meetings:attendance", args=[meeting.pk])).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_attendance_sheet_query_count_is_constant(
    facilitator_client, facilitator, django_assert_num_queries, count
):
    meeting = MeetingFactory()
    WorkshopFactory.create_batch(count, meeting=meeting)
    for index in range(count):
        person = UserFactory(display_name=f"Camille {index}")
        AttendanceFactory(meeting=meeting, person=person, recorded_by=facilitator)
    with django_assert_num_queries(9):
        response = facilitator_client.get(
            reverse("meetings:attendance", args=[meeting.pk]), {"q": "Camille"}
        )
    assert response.content.decode().count('class="attendance-person"') == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_attendance_search_partial_query_count_is_constant(
    facilitator_client, django_assert_num_queries, count
):
    meeting = MeetingFactory()
    UserFactory.create_batch(count, display_name="Dominique")
    with django_assert_num_queries(8):
        response = facilitator_client.get(
            reverse("meetings:attendance", args=[meeting.pk]),
            {"q": "domin"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="attendance-results",
        )
    page = response.content.decode()
    assert "<html" not in page
    assert page.count('class="attendance-person"') == count


@pytest.mark.django_db
def test_tick_twice_records_once(facilitator_client, facilitator):
    meeting = MeetingFactory()
    someone = UserFactory()
    url = reverse("meetings:tick", args=[meeting.pk])
    facilitator_client.post(url, {"person": someone.pk})
    response = facilitator_client.post(url, {"person": someone.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="person-{someone.pk}"' in response.content.decode()
    attendance = Attendance.objects.get()
    assert (attendance.person, attendance.workshop, attendance.recorded_by) == (
        someone,
        None,
        facilitator,
    )


@pytest.mark.django_db
def test_tick_at_a_workshop_and_undo(facilitator_client):
    workshop = WorkshopFactory()
    someone = UserFactory()
    url = reverse("meetings:tick", args=[workshop.meeting.pk])
    facilitator_client.post(url, {"person": someone.pk, "workshop": workshop.pk})
    assert Attendance.objects.get().workshop == workshop
    facilitator_client.post(url, {"person": someone.pk, "workshop": workshop.pk, "action": "undo"})
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_tick_refused_to_participant(person_client):
    meeting = MeetingFactory()
    response = person_client.post(
        reverse("meetings:tick", args=[meeting.pk]), {"person": UserFactory().pk}
    )
    assert response.status_code == 403
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_walk_in_with_email_registers_invites_and_ticks(
    facilitator_client, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    url = reverse("meetings:walk-in", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        facilitator_client.post(url, {"display_name": "Sam New", "email": "Sam@Example.org"})
    attendance = Attendance.objects.get()
    assert attendance.person.email == "sam@example.org"
    assert not attendance.person.has_usable_password()
    assert len(callbacks) >= 1


@pytest.mark.django_db
def test_walk_in_twice_registers_once(facilitator_client):
    meeting = MeetingFactory()
    url = reverse("meetings:walk-in", args=[meeting.pk])
    for _ in range(2):
        facilitator_client.post(url, {"display_name": "Sam New", "email": "sam@example.org"})
        facilitator_client.post(url, {"display_name": "Lou Nomail", "email": ""})
    assert Attendance.objects.count() == 2
    assert sorted(a.person.display_name for a in Attendance.objects.all()) == [
        "Lou Nomail",
        "Sam New",
    ]


@pytest.mark.django_db
def test_walk_in_with_known_email_reuses_person(facilitator_client, person):
    meeting = MeetingFactory()
    facilitator_client.post(
        reverse("meetings:walk-in", args=[meeting.pk]),
        {"display_name": "Other name", "email": person.email.upper()},
    )
    assert Attendance.objects.get().person == person


def make_commons(count):

    category = Category.objects.create(name="Jardins", slug="jardins")
    return [
        Commons.objects.create(
            name=f"Jardin {n}",
            slug=f"jardin-{n}",
            summary="Un jardin",
            category=category,
            state=Commons.State.PUBLISHED,
        )
        for n in range(count)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_propose_page_stays_small_whatever_the_directory(
    person_client, django_assert_num_queries, count
):
    make_commons(count)
    meeting = MeetingFactory()
    with django_assert_num_queries(4):
        response = person_client.get(f"{reverse('workshops:propose')}?meeting={meeting.pk}")
    page = response.content.decode()
    # No commons listed until one searches: the picker's search field instead (issue 24).
    assert page.count('name="related_commons"') == 0
    assert 'name="related_commons_q"' in page
    assert len(response.content) < 40_000


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_a_picker_search_shows_the_matches_keeps_what_was_typed_and_saves_nothing(
    person_client, django_assert_num_queries, count
):
    commons = make_commons(count)
    chosen = commons[1]
    meeting = MeetingFactory()
    body = {
        "meeting": meeting.pk,
        "title": "Semences partagées",
        "related_commons": [chosen.pk],
        "related_commons_q": "jardin 2",
        "_picker": "related_commons",
    }
    with django_assert_num_queries(6):
        response = person_client.post(reverse("workshops:propose"), body)
    page = response.content.decode()

    assert response.status_code == 200
    assert meeting.workshops.count() == 0
    assert 'value="Semences partagées"' in page
    assert f'value="{chosen.pk}" checked' in page
    # "Jardin 2", "Jardin 20".."Jardin 29" match, at most 20 of them, the chosen one apart.
    matches = [c for c in commons if "jardin 2" in c.name.lower() and c != chosen]
    assert page.count('name="related_commons"') == 1 + min(len(matches), 20)
    assert "This field is required" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_edit_page_query_count_is_constant(client, django_assert_num_queries, count):
    commons = make_commons(count)
    workshop = WorkshopFactory()
    workshop.related_commons.set(commons)
    client.force_login(workshop.proposed_by)
    with django_assert_num_queries(7):
        response = client.get(reverse("workshops:edit", args=[workshop.pk]))
    assert response.content.decode().count("checked") == count


@pytest.mark.django_db
def test_propose_with_related_commons_links_them(person_client):
    commons = make_commons(2)
    meeting = MeetingFactory()
    person_client.post(
        f"{reverse('workshops:propose')}?meeting={meeting.pk}",
        {"title": "Jardins", "related_commons": [c.pk for c in commons]},
    )
    assert set(meeting.workshops.get().related_commons.all()) == set(commons)


@pytest.mark.django_db
def test_host_can_withdraw(person_client, person):
    meeting = MeetingFactory()
    meeting.hosts.add(person)
    page = person_client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "I can no longer host it" in page.content.decode()
    person_client.post(reverse("meetings:host", args=[meeting.pk]), {"action": "withdraw"})
    assert meeting.hosts.count() == 0


@pytest.mark.django_db
def test_the_board_names_its_hosts_as_the_people_list_does(client):
    """Read with the meeting (views/board.py): by display name, a person without one by their
    e-mail address, as User.__str__ writes them."""
    meeting = MeetingFactory()
    meeting.hosts.add(
        UserFactory(display_name="Zoé <b>"),
        UserFactory(display_name="", email="anon@example.org"),
        UserFactory(display_name="Ali"),
    )
    MeetingFactory().hosts.add(UserFactory(display_name="Elsewhere"))
    page = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<dd>anon@example.org, Ali, Zoé &lt;b&gt;</dd>" in page


@pytest.mark.django_db
def test_sign_up_full_workshop_plain_form_redirects_with_error(person_client, person):
    workshop = WorkshopFactory(capacity=1, title="Tiny")
    SignupFactory(workshop=workshop)
    response = person_client.post(
        reverse("workshops:sign-up", args=[workshop.pk]),
        {"action": "in"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assert messages_of(response) == ["“Tiny” is full (1 places). Pick another workshop."]
    assert not WorkshopSignup.objects.filter(workshop=workshop, person=person).exists()


@pytest.mark.django_db
def test_workshop_page_links_its_published_related_commons(client):
    published, proposed = make_commons(2)
    proposed.state = "proposed"
    proposed.save()
    workshop = WorkshopFactory()
    workshop.related_commons.set([published, proposed])

    page = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()

    assert f'<a href="{published.get_absolute_url()}">{published.name}</a>' in page
    assert f'href="{proposed.get_absolute_url()}"' not in page
    assert proposed.name in page


@pytest.mark.django_db
def test_htmx_tick_refreshes_the_people_present_out_of_band(facilitator_client):
    meeting = MeetingFactory()
    someone = UserFactory(display_name="Camille Dupont")

    response = facilitator_client.post(
        reverse("meetings:tick", args=[meeting.pk]),
        {"person": someone.pk},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert '<section id="attendance-present" hx-swap-oob="true">' in page
    assert "1 personne présente" in page
    assert page.count("Camille Dupont") >= 2


@pytest.mark.django_db
def test_plenary_notes_form_shown_to_a_workshop_proposer_is_accepted_when_saved(client):
    # The proposer of a workshop took part in the meeting even when nobody ticked them present:
    # the board offers them the plenary notes form, and saving it must not answer 403.
    workshop = WorkshopFactory(meeting=PastMeetingFactory())
    meeting = workshop.meeting
    client.force_login(workshop.proposed_by)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:notes", args=[meeting.pk]) in page
    response = client.post(reverse("meetings:notes", args=[meeting.pk]), {"notes": "Minutes"})
    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.plenary_notes == "Minutes"


@pytest.mark.django_db
def test_plenary_notes_by_a_host_who_was_not_ticked(client, person):
    meeting = PastMeetingFactory()
    meeting.hosts.add(person)
    client.force_login(person)
    client.post(reverse("meetings:notes", args=[meeting.pk]), {"notes": "Hosted"})
    meeting.refresh_from_db()
    assert meeting.plenary_notes == "Hosted"


@pytest.mark.django_db
def test_notes_forms_hidden_from_someone_who_only_signed_up(client, person):
    workshop = WorkshopFactory(meeting=PastMeetingFactory())
    SignupFactory(workshop=workshop, person=person)
    client.force_login(person)
    board = client.get(workshop.meeting.get_absolute_url()).content.decode()
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert f'action="{reverse("meetings:notes", args=[workshop.meeting.pk])}"' not in board
    assert f'action="{reverse("workshops:notes", args=[workshop.pk])}"' not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "how",
    ["hosts", "proposes", "facilitates", "ticked", "proposes-hidden", "facilitates-hidden", "none"],
)
def test_the_board_offers_the_notes_form_to_who_took_part(client, person, how):
    # The board answers from its hosts and the workshops the person runs when it can, and asks
    # Meeting.took_part otherwise: the same answer either way.
    meeting = PastMeetingFactory()
    hidden = how.endswith("-hidden")
    if how == "hosts":
        meeting.hosts.add(person)
    elif how.startswith("proposes"):
        WorkshopFactory(meeting=meeting, proposed_by=person, hidden=hidden)
    elif how.startswith("facilitates"):
        WorkshopFactory(meeting=meeting, hidden=hidden).facilitators.add(person)
    elif how == "ticked":
        AttendanceFactory(meeting=meeting, person=person)
    took_part = Meeting.objects.filter(pk=meeting.pk).took_part(person).exists()
    assert took_part == (how in {"hosts", "proposes", "facilitates", "ticked"})
    client.force_login(person)
    board = client.get(meeting.get_absolute_url()).content.decode()
    assert (f'action="{reverse("meetings:notes", args=[meeting.pk])}"' in board) == took_part


@pytest.mark.django_db
@pytest.mark.parametrize("hidden", [False, True])
def test_the_board_reads_a_persons_involvement_with_the_meeting_as_its_own_query_does(hidden):
    """views/board.py: on a first view, what the person signed up to and runs comes with the
    meeting; afterwards (the meeting kept), from `_involvement`. Both say the same."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no ARRAY(SELECT …), so the board asks apart")
    person, other = UserFactory(), UserFactory()
    meeting = PastMeetingFactory()
    signed = WorkshopFactory(meeting=meeting)
    SignupFactory(workshop=signed, person=person)
    proposed = WorkshopFactory(meeting=meeting, proposed_by=person, hidden=hidden)
    facilitated = WorkshopFactory(meeting=meeting, hidden=True)
    facilitated.facilitators.add(person)
    both = WorkshopFactory(meeting=meeting, proposed_by=person, hidden=True)
    SignupFactory(workshop=both, person=person)
    SignupFactory(workshop=WorkshopFactory(meeting=meeting), person=other)
    WorkshopFactory(meeting=meeting, proposed_by=other)
    SignupFactory(workshop=WorkshopFactory(meeting=PastMeetingFactory()), person=person)

    (found,) = board._meeting_of_the_board_for(meeting=meeting.pk, person=person.pk)
    with_meeting = board._involvement_read_with(found)

    assert with_meeting == board._involvement_of(person, meeting)
    assert with_meeting == (
        {signed.pk, both.pk},
        {proposed.pk, facilitated.pk, both.pk},
        not hidden,
    )
    assert not hasattr(found, "involvement_runs"), "the meeting every viewer shares keeps none"
