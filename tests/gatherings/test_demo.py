import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from gatherings.models import Gathering, Poll, Session, SessionRegistration
from gatherings.services import split_threshold

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", force=True, stdout=io.StringIO())


def test_the_demo_gathering_has_what_the_issue_asks_for(client):
    seed()
    seed()  # idempotent

    gathering = Gathering.objects.get()
    assert len(gathering.days) == 2
    assert gathering.sites.count() == 4
    assert gathering.tracks.count() == 2
    assert [walk.stops.count() for walk in gathering.parcours.all()] == [4]
    proposals = gathering.sessions.in_call()
    assert set(proposals.values_list("state", flat=True)) == set(Session.State.values)
    assert SessionRegistration.objects.waitlisted().exists()
    over = [
        s
        for s in gathering.sessions.on_grid()
        if split_threshold(s) is not None
        and s.registrations.registered().count() > split_threshold(s)
    ]
    assert over
    poll = Poll.objects.get()
    assert poll.answers.count() == 3
    page = client.get(reverse("gatherings:programme", args=[gathering.slug]))
    assert page.status_code == 200
    assert "Plénière d&#x27;ouverture" in page.content.decode()


def test_the_demo_gatherings_map_has_its_four_sites_and_its_walk(client):
    seed()
    gathering = Gathering.objects.get()

    response = client.get(gathering.get_absolute_url())

    config = response.context["map_config"]
    assert len(config["sites"]) == 4
    assert [len(walk["points"]) for walk in config["walks"]] == [4]
    assert 'id="gathering-map-config"' in response.content.decode()


def test_the_demo_gathering_shows_its_minutes_history_its_walk_form_and_its_switch(client):
    seed()
    gathering = Gathering.objects.get()
    organiser = gathering.organisers.select_related("person").first().person
    walk = gathering.parcours.get()

    history = client.get(reverse("gatherings:minutes-history", args=[gathering.slug]))
    client.force_login(organiser)
    organise = client.get(reverse("gatherings:organise", args=[gathering.slug])).content.decode()

    assert [row["number"] for row in history.context["rows"]] == [2, 1]
    assert "<ins>" in history.content.decode() and "<del>" in history.content.decode()
    walks = client.get(reverse("gatherings:organise-walk", args=[gathering.slug])).content.decode()
    assert reverse("gatherings:organise-walk", args=[gathering.slug]) in organise
    assert reverse("gatherings:organise-walk-change", args=[gathering.slug, walk.pk]) in walks
    assert gathering.counts_for_membership
    assert 'id="counts-for-membership"' in organise
