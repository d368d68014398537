"""The home page gathers every app: next meeting and its workshops, open decisions, the charter."""

import pytest

from commons_registry.models import Commons
from tests.charter.factories import add_version, default_charter
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import discussion
from tests.factories import UserFactory
from tests.workshops.factories import MeetingFactory, SignupFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def test_home_shows_next_meeting_with_workshops_ordered_by_signups(client):
    meeting = MeetingFactory(title="Assemblée de décembre")
    quiet = WorkshopFactory(meeting=meeting, title="Atelier calme")
    busy = WorkshopFactory(meeting=meeting, title="Atelier couru")
    SignupFactory.create_batch(3, workshop=busy)
    SignupFactory(workshop=quiet)

    page = client.get("/").content.decode()

    assert "Assemblée de décembre" in page
    assert page.index("Atelier couru") < page.index("Atelier calme")


def test_home_shows_newest_commons_open_decisions_and_current_charter(client):
    discussion(title="Acheter un vélo cargo")
    CommonsFactory(name="Jardin des Tilleuls", state=Commons.State.PUBLISHED)
    CommonsFactory(name="Projet en attente", state=Commons.State.PROPOSED)
    add_version(default_charter(), text="# Charte\n\nNous nous réunissons.")

    page = client.get("/").content.decode()

    assert "Acheter un vélo cargo" in page
    assert "Jardin des Tilleuls" in page
    assert "Projet en attente" not in page
    assert "version 1 est en vigueur" in page


def test_home_has_useful_empty_states(client):
    page = client.get("/").content.decode()

    assert "Aucune rencontre" in page or "Aucune réunion" in page
    assert "Aucune décision" in page
    assert "Aucun commun" in page


@pytest.mark.parametrize("items", [1, 3])
def test_home_query_count_does_not_grow_with_content(client, django_assert_num_queries, items):
    client.get("/")  # the configuration row is cached after the first page
    meeting = MeetingFactory()
    for _ in range(items):
        SignupFactory(workshop=WorkshopFactory(meeting=meeting))
        discussion(author=UserFactory())
        CommonsFactory(state=Commons.State.PUBLISHED)
    add_version(default_charter(), text="# Charte")

    with django_assert_num_queries(6):
        response = client.get("/")

    assert response.status_code == 200
