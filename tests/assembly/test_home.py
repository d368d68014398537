"""The home page gathers every app: next meeting and its workshops, open decisions, the charter."""

import datetime

import pytest
from django.utils import timezone

from assembly.models import AssemblyConfiguration
from assembly.page_cache import versioning
from charter.models import Charter
from charter.services import CURRENT_VERSION_TABLES, DEFAULT_SLUG
from commons_registry.models import Commons
from decisions.services import add_comment
from tests.charter.factories import add_version, default_charter
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import MemberFactory, discussion, voting
from tests.factories import UserFactory
from tests.workshops.factories import (
    MeetingFactory,
    PastMeetingFactory,
    SignupFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


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


@pytest.mark.parametrize("items", [1, 3])
def test_signed_in_home_query_count_does_not_grow_with_what_waits(
    client, django_assert_num_queries, items
):
    """Home's lists read only the columns their cards show: a card asking for another would
    cost a query per card."""
    member = MemberFactory()
    for n in range(items):
        voting(title=f"Vote {n}")
        commented = discussion(title=f"Discussion {n}")
        add_comment(commented, author=member, text="Me first", now=timezone.now() - HOUR * 2)
        add_comment(commented, author=UserFactory(), text="Me next", now=timezone.now() - HOUR)
        WorkshopFactory(meeting=PastMeetingFactory(), proposed_by=member, title=f"Notes {n}")
        CommonsFactory(state=Commons.State.PUBLISHED, name=f"Commons {n}")
    client.force_login(member)
    client.get("/")

    with django_assert_num_queries(8):
        page = client.get("/").content.decode()

    assert all(f"Vote {n}" in page and f"Notes {n}" in page for n in range(items))
    assert all(f"Discussion {n}" in page and f"Commons {n}" in page for n in range(items))


def test_signed_in_home_reads_its_kept_rows_versions_in_one_round_trip(client, monkeypatch):
    """The charter's current version and the configuration row (the layout's context processor)
    are kept under versions read together, first thing, not one read each."""
    add_version(default_charter(), text="# Charte")
    client.force_login(MemberFactory())
    client.get("/")
    versioning.forget_rows()
    reads = []
    real_read = versioning.Versions.read.__func__
    monkeypatch.setattr(
        versioning.Versions,
        "read",
        classmethod(lambda cls, tables=None: reads.append(tables) or real_read(cls, tables)),
    )

    page = client.get("/").content.decode()

    assert reads == [CURRENT_VERSION_TABLES]
    assert "version 1 est en vigueur" in page


def test_signed_in_home_sees_a_write_to_its_kept_rows_at_the_next_request(
    client, django_capture_on_commit_callbacks
):
    add_version(default_charter(), text="# Charte")
    client.force_login(MemberFactory())
    client.get("/")

    with django_capture_on_commit_callbacks(execute=True):
        Charter.objects.filter(slug=DEFAULT_SLUG).update(title="Charte renommée")
        AssemblyConfiguration.objects.filter(pk=1).update(name="Assemblée renommée")
    page = client.get("/").content.decode()

    assert "Charte renommée" in page
    assert "Assemblée renommée" in page
