"""The home page gathers every app: next meeting and its workshops, open decisions, the charter."""

import pytest

from tests.charter.factories import add_version, default_charter
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


def test_home_shows_open_decisions_and_current_charter(client):
    discussion(title="Acheter un vélo cargo")
    add_version(default_charter(), text="# Charte\n\nNous nous réunissons.")

    page = client.get("/").content.decode()

    assert "Acheter un vélo cargo" in page
    assert "version 1 est en vigueur" in page


def test_home_has_useful_empty_states(client):
    page = client.get("/").content.decode()

    assert "Aucune rencontre" in page or "Aucune réunion" in page
    assert "Aucune décision" in page


@pytest.mark.parametrize("items", [1, 3])
def test_home_query_count_does_not_grow_with_content(client, django_assert_num_queries, items):
    client.get("/")  # the configuration row is cached after the first page
    meeting = MeetingFactory()
    for _ in range(items):
        SignupFactory(workshop=WorkshopFactory(meeting=meeting))
        discussion(author=UserFactory())
    add_version(default_charter(), text="# Charte")

    with django_assert_num_queries(4):
        response = client.get("/")

    assert response.status_code == 200
