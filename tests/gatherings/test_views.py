"""The gathering pages: what each person sees and may do, and constant query counts."""

import pytest
from django.urls import reverse
from django.utils import translation

from gatherings import services
from gatherings.forms import SessionForm
from gatherings.models import Poll, Session, SessionRegistration
from tests.factories import UserFactory
from tests.gatherings.factories import day_at, fmt, gathering, place

pytestmark = pytest.mark.django_db


def test_the_list_and_the_gathering_page_show_it(client):
    g = gathering(title="Rencontre des communs")
    services.propose_session(g, by=UserFactory(), title="Cartopartie <b>", format=fmt())

    listing = client.get(reverse("gatherings:list"))
    page = client.get(g.get_absolute_url())

    assert "Rencontre des communs" in listing.content.decode()
    assert "Cartopartie &lt;b&gt;" in page.content.decode()
    assert "Halle" in page.content.decode()


def test_the_programme_is_a_table_with_headers_by_day_and_site(client):
    g = gathering()
    place(g, "Plénière d'ouverture", hour=10)
    place(g, "Marché", hour=10, site=g.sites.get(venue__name="Jardin"), key="meal")

    body = client.get(reverse("gatherings:programme", args=[g.slug])).content.decode()

    assert '<th scope="col">Halle</th>' in body
    assert '<th scope="col">Jardin</th>' in body
    assert '<th scope="row"><time' in body
    assert body.count("Plénière d&#x27;ouverture") == 2  # the grid and the phone list
    assert 'class="programme-list"' in body


def test_the_programme_filters_by_track_and_format(client):
    g = gathering()
    track = g.tracks.get()
    place(g, "Dans la piste", hour=9, track=track)
    place(g, "Hors piste", hour=11)
    place(g, "Repas", hour=12, key="meal")
    url = reverse("gatherings:programme", args=[g.slug])

    by_track = client.get(url, {"track": track.pk}).content.decode()
    by_format = client.get(url, {"format": "meal"}).content.decode()

    assert "Dans la piste" in by_track and "Hors piste" not in by_track
    assert "Repas" in by_format and "Dans la piste" not in by_format


def test_the_programme_ignores_odd_filters(client):
    g = gathering()
    place(g, "Plénière")

    response = client.get(
        reverse("gatherings:programme", args=[g.slug]), {"track": "x\x00", "format": "9" * 40}
    )

    assert response.status_code == 200


@pytest.mark.parametrize(("count", "queries"), [(1, 6), (3, 6)])
def test_the_programme_page_keeps_a_constant_query_count(
    client, django_assert_num_queries, warm_configuration, count, queries
):
    g = gathering()
    g.sites.get(venue__name="Jardin")
    for index in range(count):
        place(g, f"Session {index}", hour=9 + index, track=g.tracks.get())
    url = reverse("gatherings:programme", args=[g.slug])

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


def test_the_programme_ics_lists_each_placed_session(client):
    g = gathering()
    place(g, "Plénière")
    services.add_session(g, title="Pas encore placée", format=fmt())

    body = client.get(reverse("gatherings:programme-ics", args=[g.slug])).content.decode()

    assert "SUMMARY:Plénière" in body
    assert "Pas encore placée" not in body


def test_the_changes_feed_lists_sessions(client):
    g = gathering()
    place(g, "Plénière")

    response = client.get(reverse("gatherings:changes", args=[g.slug]))

    assert response.status_code == 200
    assert "Plénière" in response.content.decode()


def test_a_proposal_through_the_form_is_visible_to_all(client):
    g = gathering()
    author = UserFactory()
    client.force_login(author)

    response = client.post(
        reverse("gatherings:propose", args=[g.slug]),
        {"title": "Cartopartie", "format": fmt().pk, "description": "On cartographie."},
    )

    session = Session.objects.get()
    assert response.status_code == 302
    assert (session.proposed_by, session.state) == (author, "proposed")
    client.logout()
    assert "Cartopartie" in client.get(g.get_absolute_url()).content.decode()


def test_an_organiser_accepts_then_places_a_proposal(client):
    organiser = UserFactory()
    g = gathering(organiser=organiser)
    proposal = services.propose_session(g, by=UserFactory(), title="Cartopartie", format=fmt())
    hall = g.sites.get(venue__name="Halle")
    client.force_login(organiser)

    client.post(
        reverse("gatherings:session-review", args=[g.slug, proposal.pk]), {"answer": "accept"}
    )
    client.post(
        reverse("gatherings:session-place", args=[g.slug, proposal.pk]),
        {
            "starts_at": day_at(g, 0, 14).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": day_at(g, 0, 15).strftime("%Y-%m-%dT%H:%M"),
            "place": f"site:{hall.pk}",
        },
    )

    proposal.refresh_from_db()
    assert (proposal.state, proposal.starts_at, proposal.site) == (
        "accepted",
        day_at(g, 0, 14),
        hall,
    )


def test_someone_else_cannot_review(client):
    g = gathering()
    proposal = services.propose_session(g, by=UserFactory(), title="Cartopartie", format=fmt())
    client.force_login(UserFactory())

    response = client.post(
        reverse("gatherings:session-review", args=[g.slug, proposal.pk]), {"answer": "accept"}
    )

    proposal.refresh_from_db()
    assert (response.status_code, proposal.state) == (403, "proposed")


def test_the_online_link_is_shown_to_registered_people_only(client):
    g = gathering()
    session = place(g, "Hybride", online_link="https://visio.example.org/room")
    registered, other = UserFactory(), UserFactory()
    services.register_for_session(session, registered)

    client.force_login(other)
    hidden = client.get(session.get_absolute_url()).content.decode()
    client.force_login(registered)
    shown = client.get(session.get_absolute_url()).content.decode()

    assert "visio.example.org" not in hidden
    assert "visio.example.org" in shown


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://visio.example.org/room"])
def test_a_sessions_online_link_must_be_a_web_address(link):
    # The validator the monthly meetings and workshops use too (assembly/online_links.py).
    g = gathering()
    session = place(g, "Hybride")
    data = {"title": "Hybride", "format": session.format_id, "online_link": link}

    with translation.override("en"):
        form = SessionForm(data, instance=session, gathering=g)
        errors = [str(error) for error in form.errors.get("online_link", [])]

    assert errors == [
        "Only web addresses are accepted: the link must start with https:// or http://."
    ]


def test_registering_on_a_full_session_puts_one_on_the_waitlist(client):
    g = gathering()
    session = place(g, "Atelier", capacity=1)
    services.register_for_session(session, UserFactory())
    person = UserFactory()
    client.force_login(person)

    client.post(reverse("gatherings:session-register", args=[g.slug, session.pk]))
    page = client.get(session.get_absolute_url()).content.decode()

    assert SessionRegistration.objects.get(person=person).state == "waitlisted"
    assert "number 1 on the waitlist" in page or "numéro 1" in page


def test_my_programme_flags_conflicts(client):
    g = gathering()
    person = UserFactory()
    a = place(g, "Plénière", hour=10, hours=2)
    b = place(
        g, "Atelier", hour=11, room=g.sites.get(venue__name="Halle").rooms.get(name="Atelier")
    )
    for session in (a, b):
        services.register_for_session(session, person)
    client.force_login(person)

    body = client.get(reverse("gatherings:me", args=[g.slug])).content.decode()

    assert body.count('class="clashing"') == 2


def test_the_private_feed_holds_only_the_persons_sessions(client):
    g = gathering()
    person = UserFactory()
    mine = place(g, "La mienne", hour=10)
    place(g, "Une autre", hour=14)
    services.register_for_session(mine, person)

    body = client.get(reverse("gatherings:me-ics", args=[g.slug, person.calendar_token])).content

    assert b"La mienne" in body and b"Une autre" not in body
    assert client.get(reverse("gatherings:me-ics", args=[g.slug, "nope"])).status_code == 404


def test_a_poll_is_answered_without_an_account(client):
    author = UserFactory()
    g = gathering()
    poll = services.create_poll(by=author, title="Préparation", dates=[day_at(g, 0, 18)])
    date = poll.dates.get()

    response = client.post(poll.get_absolute_url(), {"name": "Zoé", f"date_{date.pk}": "maybe"})
    page = client.get(poll.get_absolute_url()).content.decode()

    assert response.status_code == 302
    assert "Zoé" in page
    assert poll.answers.get().person is None


def test_a_poll_is_created_from_the_form(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("polls:list"),
        {"title": "Réunion", "dates": "2027-01-12 18:00\n2027-01-14T18:30\n"},
    )

    poll = Poll.objects.get()
    assert response.status_code == 302
    assert poll.dates.count() == 2


def test_only_the_creator_closes_a_poll_and_makes_it_a_meeting(client):
    author = UserFactory()
    g = gathering()
    poll = services.create_poll(by=author, title="Préparation", dates=[day_at(g, 0, 18)])
    services.answer_poll(poll, name="Ana", choices={poll.dates.get().pk: "yes"})
    client.force_login(UserFactory())
    assert client.post(reverse("polls:close", args=[poll.pk])).status_code == 403

    client.force_login(author)
    client.post(reverse("polls:close", args=[poll.pk]))
    response = client.post(reverse("polls:meeting", args=[poll.pk]))

    poll.refresh_from_db()
    assert poll.meeting is not None
    assert response["Location"] == poll.meeting.get_absolute_url()


def test_the_organisers_page_adds_a_site_a_room_and_a_track(client):
    organiser = UserFactory()
    g = gathering(organiser=organiser)
    client.force_login(organiser)

    client.post(
        reverse("gatherings:organise-site", args=[g.slug]),
        {"name": "Tiers-lieu", "address": "3 rue Neuve", "rooms": "Salle 1\nSalle 2"},
    )
    site = g.sites.get(venue__name="Tiers-lieu")
    client.post(
        reverse("gatherings:organise-room", args=[g.slug]), {"site": site.pk, "name": "Cour"}
    )
    client.post(reverse("gatherings:organise-track", args=[g.slug]), {"name": "Numérique"})

    assert sorted(site.rooms.values_list("name", flat=True)) == ["Cour", "Salle 1", "Salle 2"]
    assert g.tracks.filter(name="Numérique").exists()
    assert client.get(reverse("gatherings:organise", args=[g.slug])).status_code == 200


def test_the_welcome_desk_opens_the_door_of_the_gathering_meeting(client):
    organiser = UserFactory()
    g = gathering(organiser=organiser)
    client.force_login(organiser)

    client.post(reverse("gatherings:organise-desk", args=[g.slug]))

    g.refresh_from_db()
    assert g.meeting is not None
    assert (
        reverse("meetings:attendance", args=[g.meeting_id])
        in client.get(reverse("gatherings:organise", args=[g.slug])).content.decode()
    )


def test_the_agenda_links_to_gatherings_and_polls(client):
    body = client.get(reverse("meetings:index")).content.decode()

    assert reverse("gatherings:list") in body
    assert reverse("polls:list") in body


def test_an_organiser_splits_a_session_from_its_page(client):
    organiser = UserFactory()
    g = gathering(organiser=organiser)
    session = place(g, "Atelier")
    other = g.sites.get(venue__name="Halle").rooms.get(name="Atelier")
    client.force_login(organiser)

    page = client.get(session.get_absolute_url()).content.decode()
    client.post(
        reverse("gatherings:session-split", args=[g.slug, session.pk]),
        {"places": [f"room:{other.pk}"]},
    )

    assert reverse("gatherings:session-split", args=[g.slug, session.pk]) in page
    assert Session.objects.on_grid().filter(room=other).count() == 1


def test_the_notes_keep_every_revision_with_its_author(client):
    g = gathering()
    session = place(g, "Atelier")
    author = UserFactory(display_name="Ana")
    services.register_for_session(session, author)
    client.force_login(author)
    url = reverse("gatherings:session-notes", args=[g.slug, session.pk])

    client.post(url, {"notes": "Premier jet"})
    client.post(url, {"notes": "Premier jet, relu"})
    page = client.get(reverse("gatherings:session-notes-history", args=[g.slug, session.pk]))

    assert page.content.decode().count("· Ana") == 2
    assert "relu" in page.content.decode()


def test_someone_not_registered_cannot_write_notes(client):
    g = gathering()
    session = place(g, "Atelier")
    client.force_login(UserFactory())

    response = client.post(
        reverse("gatherings:session-notes", args=[g.slug, session.pk]), {"notes": "x"}
    )

    session.refresh_from_db()
    assert (response.status_code, session.notes) == (403, "")


@pytest.mark.parametrize("count", [1, 3])
def test_the_gathering_page_keeps_a_constant_query_count(
    client, django_assert_num_queries, warm_configuration, count
):
    g = gathering()
    garden = g.sites.get(venue__name="Jardin")
    for index in range(count):
        services.propose_session(g, by=UserFactory(), title=f"Proposition {index}", format=fmt())
        services.add_parcours(g, f"Parcours {index}", [(garden, day_at(g, 0, 12 + index))])

    with django_assert_num_queries(9):
        response = client.get(g.get_absolute_url())

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_my_programme_keeps_a_constant_query_count(
    client, django_assert_num_queries, warm_configuration, count
):
    g = gathering()
    person = UserFactory()
    for index in range(count):
        services.register_for_session(place(g, f"Session {index}", hour=9 + index), person)
    client.force_login(person)
    url = reverse("gatherings:me", args=[g.slug])

    # First view, nothing kept: the session, the person, the gathering, the configuration (read
    # again per content version), their sessions and their states.
    with django_assert_num_queries(6):
        first = client.get(url)
    # Seen again: the session and the person only; the gathering and the sessions are kept.
    with django_assert_num_queries(2):
        again = client.get(url)

    assert first.status_code == again.status_code == 200
    assert again.content.decode().count('class="session-state"') == count


def test_my_programme_shows_a_registration_at_once_and_only_to_its_person(client):
    g = gathering()
    person, other = UserFactory(), UserFactory()
    first = place(g, "Première", hour=9)
    second = place(g, "Seconde", hour=14)
    services.register_for_session(first, person)
    url = reverse("gatherings:me", args=[g.slug])
    client.force_login(person)
    assert "Seconde" not in client.get(url).content.decode()

    services.register_for_session(second, person)
    mine = client.get(url).content.decode()
    client.force_login(other)
    theirs = client.get(url).content.decode()

    assert "Première" in mine and "Seconde" in mine
    assert "Première" not in theirs and "Seconde" not in theirs


@pytest.mark.parametrize("count", [1, 3])
def test_a_polls_page_keeps_a_constant_query_count(
    client, django_assert_num_queries, warm_configuration, count
):
    g = gathering()
    poll = services.create_poll(
        by=UserFactory(), title="P", dates=[day_at(g, 0, 18), day_at(g, 1, 18)]
    )
    for index in range(count):
        services.answer_poll(
            poll, name=f"N{index}", choices={date.pk: "yes" for date in poll.dates.all()}
        )

    with django_assert_num_queries(5):
        response = client.get(poll.get_absolute_url())

    assert response.status_code == 200
