"""The gathering's minutes keep every revision, and their history shows what each changed."""

import pytest
from django.urls import reverse

from gatherings import revisions, services
from tests.factories import UserFactory
from tests.gatherings.factories import gathering, place

pytestmark = pytest.mark.django_db


def test_every_save_of_the_minutes_is_a_revision_compared_with_the_one_before():
    g = gathering()
    ana, bob = UserFactory(display_name="Ana"), UserFactory(display_name="Bob")

    services.write_minutes(g, "Nous étions trente.", by=ana)
    services.update_gathering(g, title="Autre titre")  # no revision of the minutes
    services.write_minutes(g, "Nous étions quarante.", by=bob)

    rows = revisions.compared(g, "minutes")
    assert [(row["number"], row["revision"].history_user) for row in rows] == [(2, bob), (1, ana)]
    assert "<del>trente</del>" in rows[0]["inline"] and "<ins>quarante</ins>" in rows[0]["inline"]
    assert "<ins>Nous étions trente.</ins>" in rows[1]["inline"].replace("\n", "")


def test_the_history_page_shows_what_changed_and_the_minutes_link_to_it(client):
    organiser = UserFactory(display_name="Ana")
    g = gathering(organiser=organiser)
    client.force_login(organiser)
    url = reverse("gatherings:minutes", args=[g.slug])

    client.post(url, {"notes": "Accueil à 9 h."})
    client.post(url, {"notes": "Accueil à 9 h 30."})
    client.logout()
    minutes = client.get(url).content.decode()
    history = client.get(reverse("gatherings:minutes-history", args=[g.slug])).content.decode()

    assert reverse("gatherings:minutes-history", args=[g.slug]) in minutes
    assert history.count("· Ana") == 2
    assert "<ins>30</ins>" in history or "<ins> 30</ins>" in history


def test_the_minutes_with_no_revision_say_so(client):
    g = gathering()

    body = client.get(reverse("gatherings:minutes-history", args=[g.slug])).content.decode()

    assert "aucune version antérieure" in body or "no earlier version" in body


def test_someone_not_organising_cannot_write_the_minutes(client):
    g = gathering()
    client.force_login(UserFactory())

    response = client.post(reverse("gatherings:minutes", args=[g.slug]), {"notes": "Pris"})

    g.refresh_from_db()
    assert (response.status_code, g.minutes) == (403, "")


def test_session_notes_and_minutes_share_the_revision_helper():
    g = gathering()
    session = place(g, "Atelier")

    services.write_session_notes(session, "Un", by=None)
    services.write_session_notes(session, "Un deux", by=None)

    assert [row["number"] for row in revisions.compared(session, "notes")] == [2, 1]


@pytest.mark.parametrize("count", [1, 3])
def test_the_minutes_history_keeps_a_constant_query_count(
    client, django_assert_num_queries, warm_configuration, count
):
    g = gathering()
    for index in range(count):
        services.write_minutes(g, f"Version {index}", by=UserFactory())
    url = reverse("gatherings:minutes-history", args=[g.slug])

    with django_assert_num_queries(3):
        response = client.get(url)

    assert response.status_code == 200
