"""A card's person is chosen with the people picker (assembly/pickers.py): the chantier's page
and the card's page list nobody until one searches, however many are in the chantier."""

import pytest

from chantiers import services
from chantiers.models import Card
from tests.chantiers.factories import chantier_with
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(coordinator):
    members = [UserFactory(display_name=f"Jardinière {n:02d}") for n in range(30)]
    members.append(UserFactory(display_name="Hélène Semis"))
    return chantier_with(coordinator, members=members)


def test_the_card_form_lists_nobody_until_one_searches(client, coordinator, crowded):
    client.force_login(coordinator)

    page = client.get(crowded.get_absolute_url()).content.decode()

    assert 'name="assignee"' in page  # the "nobody" choice only
    assert page.count('name="assignee"') == 1
    assert 'name="assignee_q"' in page
    assert f"/people/choices.json?source=chantier&amp;scope={crowded.pk}" in page


def test_a_search_without_javascript_shows_the_matches_and_keeps_what_was_typed(
    client, coordinator, crowded
):
    client.force_login(coordinator)

    response = client.post(
        f"/chantiers/{crowded.pk}/cards/new/",
        {
            "title": "Semer les fèves",
            "assignee_q": "helene",
            "assignee_searched": "",
            "_picker": "assignee",
        },
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert not Card.objects.exists()
    assert 'value="Semer les fèves"' in page
    helene = crowded.participants.get(person__display_name="Hélène Semis").person
    assert f'type="radio" name="assignee" value="{helene.pk}"' in page
    assert page.count('name="assignee"') == 2  # nobody, and the one match
    assert 'name="assignee_searched" value="helene"' in page


def test_a_card_is_given_to_the_person_chosen(client, coordinator, crowded):
    helene = crowded.participants.get(person__display_name="Hélène Semis").person
    client.force_login(coordinator)

    response = client.post(
        f"/chantiers/{crowded.pk}/cards/new/",
        {
            "title": "Semer les fèves",
            "assignee": helene.pk,
            "assignee_q": "helene",
            "assignee_searched": "helene",
        },
    )

    assert response.status_code == 302
    assert Card.objects.get().assignee == helene


def test_someone_outside_the_chantier_cannot_be_given_a_card(client, coordinator, crowded):
    stranger = UserFactory(display_name="Hélène Ailleurs")
    client.force_login(coordinator)

    client.post(f"/chantiers/{crowded.pk}/cards/new/", {"title": "Semer", "assignee": stranger.pk})

    assert not Card.objects.exists()


def test_the_card_page_shows_its_person_chosen_and_can_take_it_back(client, coordinator, crowded):
    helene = crowded.participants.get(person__display_name="Hélène Semis").person
    card = services.add_card(crowded, by=coordinator, title="Semer", assignee=helene)
    client.force_login(coordinator)

    page = client.get(card.get_absolute_url()).content.decode()
    client.post(card.get_absolute_url(), {"title": "Semer", "assignee": ""})

    assert f'value="{helene.pk}" checked' in page
    assert page.count('name="assignee"') == 2  # nobody, and Hélène
    card.refresh_from_db()
    assert card.assignee is None
