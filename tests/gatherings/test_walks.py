"""Walks (parcours) kept by the organisers on their page, without the Django admin: create and
rename a walk, add stops, move them up and down, remove them; bad input is refused in words."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from gatherings import services
from gatherings.models import Parcours
from tests.factories import UserFactory
from tests.gatherings.factories import day_at, fmt, gathering, place
from tests.workshops.factories import VenueFactory

pytestmark = pytest.mark.django_db


def sites(g):
    return g.sites.get(venue__name="Halle"), g.sites.get(venue__name="Jardin")


def order(walk) -> list[tuple[int, str, int]]:
    return [
        (stop.position, stop.site.venue.name, timezone.localtime(stop.arrives_at).hour)
        for stop in walk.stops.select_related("site__venue")
    ]


def test_a_stop_takes_its_place_in_the_walks_timetable():
    g = gathering()
    hall, garden = sites(g)
    walk = services.add_parcours(g, "Parcours nord", [])

    services.add_stop(walk, hall, day_at(g, 0, 11))
    services.add_stop(walk, garden, day_at(g, 0, 9))
    services.add_stop(walk, hall, day_at(g, 0, 14))

    assert order(walk) == [(1, "Jardin", 9), (2, "Halle", 11), (3, "Halle", 14)]


def test_moving_a_stop_changes_the_order_of_sites_and_keeps_the_timetable():
    g = gathering()
    hall, garden = sites(g)
    walk = services.add_parcours(
        g, "Parcours", [(hall, day_at(g, 0, 9)), (garden, day_at(g, 0, 10))]
    )
    last = walk.stops.get(position=2)

    services.move_stop(last, up=True)

    assert order(walk) == [(1, "Jardin", 9), (2, "Halle", 10)]
    with pytest.raises(services.GatheringError, match="déjà la première"):
        services.move_stop(walk.stops.get(position=1), up=True)
    with pytest.raises(services.GatheringError, match="déjà la dernière"):
        services.move_stop(walk.stops.get(position=2), up=False)


def test_removing_a_stop_moves_the_next_ones_up():
    g = gathering()
    hall, garden = sites(g)
    walk = services.add_parcours(
        g,
        "Parcours",
        [(hall, day_at(g, 0, 9)), (garden, day_at(g, 0, 10)), (hall, day_at(g, 0, 11))],
    )

    services.remove_stop(walk.stops.get(position=1))

    assert order(walk) == [(1, "Jardin", 10), (2, "Halle", 11)]


def test_a_stop_where_a_session_is_placed_stays():
    g = gathering()
    hall, _garden = sites(g)
    walk = services.add_parcours(g, "Parcours", [(hall, day_at(g, 0, 9))])
    stop = walk.stops.get()
    session = place(g, "Balade", key="walk", room=None, site=hall)
    services.place_session(session, starts_at=day_at(g, 0, 9), ends_at=day_at(g, 0, 10), stop=stop)

    with pytest.raises(services.GatheringError, match="séance"):
        services.remove_stop(stop)

    assert walk.stops.count() == 1


def test_bad_stops_are_refused_in_words():
    g = gathering()
    hall, _garden = sites(g)
    elsewhere = services.add_site(gathering(slug="ailleurs"), VenueFactory(name="Ailleurs"))
    walk = services.add_parcours(g, "Parcours", [(hall, day_at(g, 0, 9))])

    with pytest.raises(services.GatheringError, match="jours de la rencontre"):
        services.add_stop(walk, hall, day_at(g, 5, 9))
    with pytest.raises(services.GatheringError, match="sites de la rencontre"):
        services.add_stop(walk, elsewhere, day_at(g, 0, 10))
    with pytest.raises(services.GatheringError, match="à cette heure"):
        services.add_stop(walk, hall, day_at(g, 0, 9))
    with pytest.raises(services.GatheringError, match="besoin d’un titre"):
        services.rename_parcours(walk, "   ")

    assert walk.stops.count() == 1


# --- On the organisers' page ---------------------------------------------------------------------


def test_an_organiser_creates_renames_and_orders_a_walk_from_the_page(client):
    organiser = UserFactory()
    g = gathering(organiser=organiser)
    hall, garden = sites(g)
    track = g.tracks.get()
    client.force_login(organiser)

    client.post(reverse("gatherings:organise-walk", args=[g.slug]), {"title": "Parcours sud"})
    walk = Parcours.objects.get(gathering=g)
    change = reverse("gatherings:organise-walk-change", args=[g.slug, walk.pk])
    for site, hour in ((hall, 9), (garden, 10)):
        client.post(
            change,
            {
                "action": "add-stop",
                "site": site.pk,
                "arrives_at": day_at(g, 0, hour).strftime("%Y-%m-%dT%H:%M"),
            },
        )
    client.post(change, {"action": "down", "stop": walk.stops.get(position=1).pk})
    renamed = client.post(
        change, {"action": "rename", "title": "Parcours du sud", "track": track.pk}
    )
    page = client.get(reverse("gatherings:organise-walk", args=[g.slug])).content.decode()

    walk.refresh_from_db()
    assert renamed.url == reverse("gatherings:organise-walk", args=[g.slug])
    assert (walk.title, walk.track) == ("Parcours du sud", track)
    assert order(walk) == [(1, "Jardin", 9), (2, "Halle", 10)]
    assert 'value="up"' in page and 'value="down"' in page and 'value="remove"' in page
    assert f'min="{g.starts_on:%Y-%m-%d}T00:00"' in page
    assert page.index("Jardin</th>") < page.index("Halle</th>")

    client.post(change, {"action": "remove", "stop": walk.stops.get(position=1).pk})
    assert order(walk) == [(1, "Halle", 10)]


def test_a_stop_outside_the_days_or_at_another_gatherings_site_is_refused_with_a_message(client):
    organiser = UserFactory()
    g = gathering(organiser=organiser)
    hall, _garden = sites(g)
    elsewhere = services.add_site(gathering(slug="ailleurs"), VenueFactory(name="Ailleurs"))
    walk = services.add_parcours(g, "Parcours", [])
    change = reverse("gatherings:organise-walk-change", args=[g.slug, walk.pk])
    client.force_login(organiser)

    late = client.post(
        change,
        {
            "action": "add-stop",
            "site": hall.pk,
            "arrives_at": day_at(g, 4, 9).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    foreign = client.post(
        change,
        {
            "action": "add-stop",
            "site": elsewhere.pk,
            "arrives_at": day_at(g, 0, 9).strftime("%Y-%m-%dT%H:%M"),
        },
    )

    said = [str(m) for m in get_messages(late.wsgi_request)] + [
        str(m) for m in get_messages(foreign.wsgi_request)
    ]
    assert walk.stops.count() == 0
    assert any("jours de la rencontre" in text for text in said)
    assert any("sites de cette rencontre" in text for text in said)


def test_someone_else_cannot_change_a_walk_nor_one_of_another_gathering(client):
    organiser = UserFactory()
    g = gathering(organiser=organiser)
    other = gathering(slug="autre")
    walk = services.add_parcours(other, "Parcours d'ailleurs", [])
    mine = services.add_parcours(g, "Le mien", [])
    client.force_login(UserFactory())

    outsider = client.post(
        reverse("gatherings:organise-walk-change", args=[g.slug, mine.pk]),
        {"action": "rename", "title": "Pris"},
    )
    client.force_login(organiser)
    across = client.post(
        reverse("gatherings:organise-walk-change", args=[g.slug, walk.pk]),
        {"action": "rename", "title": "Pris"},
    )

    walk.refresh_from_db()
    mine.refresh_from_db()
    assert (outsider.status_code, across.status_code) == (403, 404)
    assert (walk.title, mine.title) == ("Parcours d'ailleurs", "Le mien")


def _signed_in_organiser_of_walks(client, count: int):
    """A gathering with `count` walks of two stops, its organiser signed in on `client`."""
    organiser = UserFactory()
    g = gathering(organiser=organiser)
    hall, garden = sites(g)
    for index in range(count):
        services.add_parcours(
            g, f"Parcours {index}", [(hall, day_at(g, 0, 9)), (garden, day_at(g, 0, 10))]
        )
    client.force_login(organiser)
    return g


@pytest.mark.parametrize("count", [1, 3])
def test_the_walks_page_keeps_a_constant_query_count(
    client, django_assert_num_queries, warm_configuration, count
):
    g = _signed_in_organiser_of_walks(client, count)
    url = reverse("gatherings:organise-walk", args=[g.slug])
    client.get(url)

    # The session, the person, the gathering (with whether they organise it), its sites and
    # their rooms, its tracks, its walks and their stops.
    with django_assert_num_queries(8):
        response = client.get(url)

    assert response.content.decode().count('value="add-stop"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_organisers_page_keeps_a_constant_query_count(
    client, django_assert_num_queries, warm_configuration, count
):
    g = _signed_in_organiser_of_walks(client, count)
    for index in range(count):
        services.volunteer_as_facilitator(g, UserFactory(), formats=[fmt()])
        place(g, f"Session {index}", hour=9 + index)
    url = reverse("gatherings:organise", args=[g.slug])
    client.get(url)

    # Within the budget of 12 (DESIGN.md): the walks have a page of their own.
    with django_assert_num_queries(12):
        response = client.get(url)

    assert response.status_code == 200
