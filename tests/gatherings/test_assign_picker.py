"""Organisers assign a session's facilitator from the pool with the people picker
(assembly/pickers.py): the session's page lists nobody from the pool until one searches."""

import pytest

from gatherings import services
from tests.factories import UserFactory
from tests.gatherings.factories import gathering as gathering_for
from tests.gatherings.factories import place

pytestmark = pytest.mark.django_db


@pytest.fixture
def pooled():
    organiser = UserFactory()
    gathering = gathering_for(organiser=organiser)
    for number in range(30):
        services.volunteer_as_facilitator(
            gathering, UserFactory(display_name=f"Animatrice {number:02d}")
        )
    noe = UserFactory(display_name="Noé Bénévole")
    services.volunteer_as_facilitator(gathering, noe)
    return organiser, place(gathering, "Plénière"), noe


def test_the_session_page_lists_nobody_from_the_pool_until_one_searches(client, pooled):
    organiser, session, _noe = pooled
    client.force_login(organiser)

    page = client.get(session.get_absolute_url()).content.decode()

    assert page.count('name="person"') == 0
    assert 'name="person_q"' in page


def test_a_search_without_javascript_comes_back_to_the_session_with_the_matches(client, pooled):
    organiser, session, noe = pooled
    client.force_login(organiser)

    response = client.post(
        f"{session.get_absolute_url()}assign/",
        {"person_q": "noe", "person_searched": "", "_picker": "person"},
    )
    page = client.get(response.url).content.decode()

    assert response.status_code == 302
    assert response.url == f"{session.get_absolute_url()}?person_q=noe#id_person_q"
    assert f'type="radio" name="person" value="{noe.pk}"' in page
    assert page.count('name="person"') == 1
    assert 'name="person_q" value="noe"' in page
    assert session.facilitators.count() == 0


def test_the_person_chosen_is_assigned(client, pooled):
    organiser, session, noe = pooled
    client.force_login(organiser)

    client.post(
        f"{session.get_absolute_url()}assign/",
        {"person": noe.pk, "person_q": "noe", "person_searched": "noe"},
    )

    assert list(session.facilitators.all()) == [noe]


def test_someone_outside_the_pool_cannot_be_assigned(client, pooled):
    organiser, session, _noe = pooled
    stranger = UserFactory(display_name="Noé Ailleurs")
    client.force_login(organiser)

    client.post(f"{session.get_absolute_url()}assign/", {"person": stranger.pk})

    assert session.facilitators.count() == 0
