"""Facilitators keep meetings and venues: the pages, who may use them, what they say."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.board_queries import board_queries
from tests.workshops.factories import (
    MeetingFactory,
    PastMeetingFactory,
    SignupFactory,
    VenueFactory,
    WorkshopFactory,
)
from tests.workshops.test_services import enqueued_tasks
from tests.workshops.test_views import messages_of
from workshops.models import Meeting, Venue

pytestmark = pytest.mark.usefixtures("warm_configuration")

PARIS = ZoneInfo("Europe/Paris")


def _log_in(client, who):
    if who == "participant":
        client.force_login(UserFactory())
    elif who == "facilitator":
        client.force_login(FacilitatorFactory())


PAGES = [
    lambda meeting, venue: reverse("meetings:new"),
    lambda meeting, venue: reverse("meetings:edit", args=[meeting.pk]),
    lambda meeting, venue: reverse("meetings:cancel", args=[meeting.pk]),
    lambda meeting, venue: reverse("meetings:venues"),
    lambda meeting, venue: reverse("meetings:new-venue"),
    lambda meeting, venue: reverse("meetings:edit-venue", args=[venue.pk]),
]


@pytest.mark.django_db
@pytest.mark.parametrize("page", range(len(PAGES)))
@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("participant", 403), ("facilitator", 200)]
)
def test_management_pages_are_for_facilitators_only(client, page, who, status):
    meeting = MeetingFactory()
    url = PAGES[page](meeting, meeting.venue)
    _log_in(client, who)
    response = client.get(url)
    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize("page", [0, 1, 2, 4, 5])  # the venue list (3) is read-only
@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("participant", 403)])
def test_management_posts_change_nothing_for_others(client, page, who, status):
    meeting = MeetingFactory(title="Unchanged")
    venue = meeting.venue
    _log_in(client, who)
    response = client.post(
        PAGES[page](meeting, venue),
        {"title": "Changed", "name": "Changed", "reason": "Nope", "kind": "other"},
    )
    meeting.refresh_from_db()
    venue.refresh_from_db()
    assert response.status_code == status
    assert (meeting.title, meeting.status, venue.name) == (
        "Unchanged",
        Meeting.Status.PLANNED,
        venue.name,
    )
    assert Meeting.objects.count() == 1
    assert Venue.objects.count() == 1


# --- New meeting ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_new_meeting_page_query_count_is_constant(
    facilitator_client, django_assert_num_queries, count
):
    venues = VenueFactory.create_batch(count)
    with django_assert_num_queries(4):
        response = facilitator_client.get("/meetings/new/")
    page = response.content.decode()
    assert [f">{venue.name}</option>" in page for venue in venues] == [True] * count
    assert ">À préciser</option>" in page


@pytest.mark.django_db
def test_new_meeting_creates_an_assembly_with_its_initiation(facilitator_client):
    venue = VenueFactory()
    response = facilitator_client.post(
        "/meetings/new/",
        {
            "kind": "assembly",
            "title": "Assemblée extraordinaire",
            "starts_at": "2026-12-10T18:30",
            "ends_at": "2026-12-10T21:00",
            "venue": venue.pk,
            "plenary_notes": "Le budget",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.starts_at == datetime.datetime(2026, 12, 10, 18, 30, tzinfo=PARIS)
    assert meeting.ends_at == datetime.datetime(2026, 12, 10, 21, tzinfo=PARIS)
    assert (meeting.kind, meeting.venue, meeting.plenary_notes) == ("assembly", venue, "Le budget")
    assert list(meeting.workshops.values_list("is_initiation", flat=True)) == [True]
    assert messages_of(response) == ["La réunion « Assemblée extraordinaire » est à l’agenda."]


@pytest.mark.django_db
def test_new_meeting_ending_before_it_starts_says_so_in_french(facilitator_client):
    response = facilitator_client.post(
        "/meetings/new/",
        {
            "kind": "coworking",
            "title": "Coworking",
            "starts_at": "2026-12-10T18:00",
            "ends_at": "2026-12-10T17:00",
        },
    )
    assert response.status_code == 200
    assert "La réunion doit se terminer après son début." in response.content.decode()
    assert Meeting.objects.count() == 0


@pytest.mark.django_db
def test_new_meeting_missing_fields_say_so_in_french(facilitator_client):
    response = facilitator_client.post("/meetings/new/", {"kind": "other", "starts_at": "demain"})
    page = response.content.decode()
    assert "Donnez un titre à la réunion." in page
    assert "Indiquez le jour et l’heure, par exemple 26/11/2026 18:00." in page
    assert "Indiquez le jour et l’heure de fin." in page


# --- Edit meeting --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_edit_meeting_page_query_count_is_constant(
    facilitator_client, django_assert_num_queries, count
):
    meeting = MeetingFactory()
    VenueFactory.create_batch(count - 1)
    with django_assert_num_queries(5):
        response = facilitator_client.get(f"/meetings/{meeting.pk}/edit/")
    page = response.content.decode()
    starts = meeting.starts_at.astimezone(PARIS)
    assert f'value="{starts:%Y-%m-%dT%H:%M}"' in page
    assert 'type="datetime-local"' in page


@pytest.mark.django_db
def test_edit_meeting_saves(facilitator_client):
    meeting = MeetingFactory(kind="other")
    venue = VenueFactory()
    response = facilitator_client.post(
        f"/meetings/{meeting.pk}/edit/",
        {
            "kind": "coworking",
            "title": "Journée coworking",
            "starts_at": "2026-12-12T09:00",
            "ends_at": "2026-12-12T17:00",
            "venue": venue.pk,
        },
    )
    meeting.refresh_from_db()
    assert response.status_code == 302
    assert (meeting.kind, meeting.title, meeting.venue) == ("coworking", "Journée coworking", venue)
    assert meeting.starts_at == datetime.datetime(2026, 12, 12, 9, tzinfo=PARIS)
    assert messages_of(response) == ["La réunion est enregistrée."]


@pytest.mark.django_db
def test_edit_meeting_ending_before_it_starts_changes_nothing(facilitator_client):
    meeting = MeetingFactory(title="Before")
    response = facilitator_client.post(
        f"/meetings/{meeting.pk}/edit/",
        {
            "kind": "assembly",
            "title": "After",
            "starts_at": "2026-12-12T09:00",
            "ends_at": "2026-12-12T09:00",
        },
    )
    meeting.refresh_from_db()
    assert "La réunion doit se terminer après son début." in response.content.decode()
    assert meeting.title == "Before"


# --- Cancel and reinstate ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_cancel_page_query_count_is_constant(facilitator_client, django_assert_num_queries, count):
    meeting = MeetingFactory()
    for _ in range(count):
        SignupFactory(workshop=WorkshopFactory(meeting=meeting))
    with django_assert_num_queries(4):
        response = facilitator_client.get(f"/meetings/{meeting.pk}/cancel/")
    page = response.content.decode()
    assert "<h1>Annuler la réunion</h1>" in page
    assert 'name="reason"' in page


@pytest.mark.django_db
def test_cancel_without_reason_is_refused(facilitator_client, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = facilitator_client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": "  "})
    meeting.refresh_from_db()
    assert response.status_code == 200
    assert "Dites pourquoi la réunion est annulée." in response.content.decode()
    assert (meeting.status, enqueued_tasks(callbacks)) == (Meeting.Status.PLANNED, [])


@pytest.mark.django_db
def test_cancel_with_reason_shows_everywhere_and_enqueues_notices(
    facilitator_client, client, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(title="Assemblée de décembre")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = facilitator_client.post(
            f"/meetings/{meeting.pk}/cancel/", {"reason": "La salle est inondée."}
        )
    assert response.status_code == 302
    assert enqueued_tasks(callbacks) == [
        ("workshops.send_cancellation_notices", {"meeting_id": meeting.pk})
    ]
    client.logout()
    board = client.get(meeting.get_absolute_url()).content.decode()
    assert "Cette réunion est annulée." in board
    assert "La salle est inondée." in board
    agenda = client.get("/meetings/").content.decode()
    assert "is-cancelled" in agenda
    assert "Annulée" in agenda
    for feed in (f"/meetings/{meeting.pk}.ics", "/calendar.ics"):
        ics = client.get(feed).content.decode()
        assert "STATUS:CANCELLED" in ics
        assert "La salle est inondée." in ics


@pytest.mark.django_db
def test_cancel_a_past_meeting_is_refused(facilitator_client):
    meeting = PastMeetingFactory()
    response = facilitator_client.post(f"/meetings/{meeting.pk}/cancel/", {"reason": "Late"})
    meeting.refresh_from_db()
    assert response.status_code == 302
    assert meeting.status == Meeting.Status.PLANNED
    assert messages_of(response) == ["Cette réunion est passée : elle ne peut plus être annulée."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status", "after"),
    [
        ("anonymous", 302, Meeting.Status.CANCELLED),
        ("participant", 403, Meeting.Status.CANCELLED),
        ("facilitator", 302, Meeting.Status.PLANNED),
    ],
)
def test_reinstate_only_facilitators(client, who, status, after):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED, cancellation_reason="Oops")
    _log_in(client, who)
    response = client.post(f"/meetings/{meeting.pk}/reinstate/")
    meeting.refresh_from_db()
    assert (response.status_code, meeting.status) == (status, after)


@pytest.mark.django_db
def test_reinstate_refuses_get(facilitator_client):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED, cancellation_reason="Oops")
    assert facilitator_client.get(f"/meetings/{meeting.pk}/reinstate/").status_code == 405


# --- Links on the agenda and the board -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "participant", "facilitator"])
def test_agenda_and_board_link_to_management_only_for_facilitators(client, who):
    meeting = MeetingFactory()
    _log_in(client, who)
    agenda = client.get("/meetings/").content.decode()
    board = client.get(meeting.get_absolute_url()).content.decode()
    shown = who == "facilitator"
    assert ('href="/meetings/new/"' in agenda) is shown
    assert ('href="/meetings/venues/"' in agenda) is shown
    assert (f'href="/meetings/{meeting.pk}/edit/"' in board) is shown
    assert (f'href="/meetings/{meeting.pk}/cancel/"' in board) is shown


@pytest.mark.django_db
def test_board_of_cancelled_meeting_offers_reinstate_not_cancel(facilitator_client):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED, cancellation_reason="Oops")
    board = facilitator_client.get(meeting.get_absolute_url()).content.decode()
    assert f'action="/meetings/{meeting.pk}/reinstate/"' in board
    assert f'href="/meetings/{meeting.pk}/cancel/"' not in board


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_board_facilitator_query_count_is_constant(
    facilitator_client, django_assert_num_queries, count
):
    meeting = MeetingFactory()
    for _ in range(count):
        SignupFactory(workshop=WorkshopFactory(meeting=meeting))
    # The facilitator's sign-ups and the workshops they run: one query, whatever the count (and
    # who edits a card comes from it: no facilitators nor commons prefetched for the cards); the
    # hosts, and the facilitator's involvement, are read with the meeting.
    with django_assert_num_queries(board_queries(5, signed_in=True)):
        response = facilitator_client.get(meeting.get_absolute_url())
    assert response.content.decode().count('<article class="card workshop-card') == count
    # Nothing written since: the meeting, the cards and what differs for this person are kept
    # (the session and the person, with their role, are read again).
    with django_assert_num_queries(2):
        again = facilitator_client.get(meeting.get_absolute_url())
    assert again.content.decode().count('<article class="card workshop-card') == count


# --- Venues --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_venue_list_query_count_is_constant(facilitator_client, django_assert_num_queries, count):
    for venue in VenueFactory.create_batch(count, has_projector=True, accessibility="Rampe"):
        MeetingFactory.create_batch(2, venue=venue)
    with django_assert_num_queries(4):
        response = facilitator_client.get("/meetings/venues/")
    page = response.content.decode()
    assert page.count('<tr>\n      <th scope="row">') == count
    assert page.count("vidéoprojecteur") == count
    assert page.count("<td>2</td>") == count


@pytest.mark.django_db
def test_venue_list_empty_state(facilitator_client):
    page = facilitator_client.get("/meetings/venues/").content.decode()
    assert "Aucun lieu pour l’instant." in page


@pytest.mark.django_db
def test_new_venue_is_saved_with_rounded_coordinates(facilitator_client):
    response = facilitator_client.post(
        "/meetings/venues/new/",
        {
            "name": "Maison des communs",
            "address": "3 rue Colbert",
            "latitude": "50.62921234",
            "longitude": "3.0573",
            "accessibility": "De plain-pied",
            "has_whiteboard": "on",
        },
    )
    venue = Venue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/meetings/venues/"
    assert (venue.latitude, venue.longitude) == (Decimal("50.629212"), Decimal("3.057300"))
    assert (venue.accessibility, venue.has_whiteboard, venue.has_projector) == (
        "De plain-pied",
        True,
        False,
    )
    assert messages_of(response) == ["Le lieu « Maison des communs » est enregistré."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("latitude", "longitude", "error"),
    [
        ("91", "3", "La latitude est comprise entre -90 et 90."),
        ("50", "-181", "La longitude est comprise entre -180 et 180."),
        ("nord", "3", "Écrivez la latitude sous forme de nombre, par exemple 50.6292."),
        ("50", "", "Donnez la latitude et la longitude, ou aucune des deux."),
    ],
)
def test_new_venue_bad_coordinates_say_so_in_french(facilitator_client, latitude, longitude, error):
    response = facilitator_client.post(
        "/meetings/venues/new/", {"name": "Lieu", "latitude": latitude, "longitude": longitude}
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Venue.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_edit_venue_page_query_count_is_constant(
    facilitator_client, django_assert_num_queries, count
):
    venue = VenueFactory()
    MeetingFactory.create_batch(count, venue=venue)
    with django_assert_num_queries(4):
        response = facilitator_client.get(f"/meetings/venues/{venue.pk}/edit/")
    assert f'value="{venue.name}"' in response.content.decode()


@pytest.mark.django_db
def test_edit_venue_saves(facilitator_client):
    venue = VenueFactory(name="Old")
    facilitator_client.post(
        f"/meetings/venues/{venue.pk}/edit/", {"name": "New", "has_projector": "on"}
    )
    venue.refresh_from_db()
    assert (venue.name, venue.has_projector, venue.address) == ("New", True, "")
