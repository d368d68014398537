"""/feeds/agenda.atom: upcoming meetings and the workshops proposed for them, read with an
independent parser. Hidden workshops and past meetings stay out."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.atom import read_feed, titles
from tests.workshops.factories import (
    MeetingFactory,
    PastMeetingFactory,
    VenueFactory,
    WorkshopFactory,
)

pytestmark = pytest.mark.django_db

URL = "/feeds/agenda.atom"
NOW = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_agenda_feed_lists_upcoming_meetings_and_their_visible_workshops(client):
    meeting = MeetingFactory(
        title="Assemblée de mars",
        starts_at=datetime.datetime(2027, 3, 25, 17, 0, tzinfo=datetime.UTC),
        venue=VenueFactory(name="La Maison", address="3 rue <Haute>"),
    )
    workshop = WorkshopFactory(meeting=meeting, title="Compost", description="On *trie*.")
    WorkshopFactory(meeting=meeting, title="Spam", hidden=True)
    past = PastMeetingFactory(title="Assemblée passée")
    WorkshopFactory(meeting=past, title="Vieil atelier")

    feed = read_feed(client, URL)

    assert sorted(titles(feed)) == [
        "Assemblée de mars, March 25, 2027, 6 p.m.",
        "Workshop: Compost (Assemblée de mars, March 25, 2027, 6 p.m.)",
    ]
    by_title = {entry.title: entry for entry in feed.entries}
    meeting_entry = by_title["Assemblée de mars, March 25, 2027, 6 p.m."]
    assert meeting_entry.link == f"http://testserver/meetings/{meeting.pk}/"
    assert "3 rue &lt;Haute&gt;" in meeting_entry.summary
    workshop_entry = by_title["Workshop: Compost (Assemblée de mars, March 25, 2027, 6 p.m.)"]
    assert workshop_entry.link == f"http://testserver/workshops/{workshop.pk}/"
    assert "<em>trie</em>" in workshop_entry.summary
    assert workshop_entry.updated == "2027-03-01T11:00:00+01:00"
    assert len({entry.id for entry in feed.entries}) == 2
    assert feed.feed.link == "http://testserver/meetings/"


def test_agenda_feed_says_when_a_meeting_is_cancelled(client):
    MeetingFactory(
        title="Assemblée d'avril",
        starts_at=datetime.datetime(2027, 4, 29, 10, 0, tzinfo=datetime.UTC),
        status="cancelled",
        cancellation_reason="The hall is closed.",
    )

    feed = read_feed(client, URL)

    assert titles(feed) == ["Cancelled: Assemblée d'avril, April 29, 2027, noon"]
    assert feed.entries[0].summary == "The hall is closed."


def test_agenda_feed_ids_are_stable_from_one_read_to_the_next(client):
    WorkshopFactory()

    first = [entry.id for entry in read_feed(client, URL).entries]
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        second = [entry.id for entry in read_feed(client, URL).entries]

    assert first == second


def test_agenda_feed_is_in_french_by_default(client):
    MeetingFactory(
        title="Assemblée de mars",
        starts_at=datetime.datetime(2027, 3, 25, 17, 0, tzinfo=datetime.UTC),
    )

    feed = read_feed(client, URL, language="fr")

    assert feed.feed.title.endswith("· Agenda")
    assert titles(feed) == ["Assemblée de mars, 25 mars 2027 18:00"]


@pytest.mark.parametrize("items", [1, 3])
def test_agenda_feed_runs_a_constant_number_of_queries(client, items, django_assert_num_queries):
    client.get(URL)  # the configuration is cached after the first request
    for _ in range(items):
        WorkshopFactory(
            meeting=MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=3))
        )

    # meetings with their venue, workshops with their meeting
    with django_assert_num_queries(3):
        response = client.get(URL)

    assert response.status_code == 200


def test_agenda_feed_entry_updated_when_meeting_edited(client):
    meeting = MeetingFactory(title="Assemblée d'avril")
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        meeting.title = "Assemblée d'avril (salle changée)"
        meeting.save()

    entry = next(e for e in read_feed(client, URL).entries if "salle changée" in e.title)

    assert entry.updated == "2027-03-03T11:00:00+01:00"
    assert entry.published == "2027-03-01T11:00:00+01:00"
