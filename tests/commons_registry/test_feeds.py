"""/feeds/commons.atom: newly published commons only, read with an independent parser."""

import datetime

import pytest
import time_machine

from commons_registry import services
from commons_registry.feeds import FEED_LENGTH
from commons_registry.models import Commons
from tests.atom import read_feed, titles
from tests.commons_registry.factories import CommonsFactory
from tests.factories import FacilitatorFactory

pytestmark = pytest.mark.django_db

URL = "/feeds/commons.atom"
NOW = datetime.datetime(2027, 7, 1, 8, 0, tzinfo=datetime.UTC)


def test_commons_feed_lists_published_commons_newest_first(client):
    with time_machine.travel(NOW, tick=False):
        older = CommonsFactory(name="Jardin des Tilleuls", description="Des *tomates*.")
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        proposed = CommonsFactory(name="Fournil", state=Commons.State.PROPOSED)
        CommonsFactory(name="Refusé", state=Commons.State.REJECTED, moderation_reason="Spam")
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        services.publish_commons(proposed, by=FacilitatorFactory())

    feed = read_feed(client, URL)

    assert titles(feed) == ["Fournil", "Jardin des Tilleuls"]
    entry = feed.entries[1]
    assert entry.link == f"http://testserver/commons/{older.slug}/"
    assert "<em>tomates</em>" in entry.summary
    # Summer time in Paris: UTC+2.
    assert entry.published == "2027-07-01T10:00:00+02:00"
    assert feed.entries[0].published == "2027-07-03T10:00:00+02:00"
    assert entry.tags[0].term == older.category.name
    assert feed.entries[0].id != entry.id
    assert feed.feed.link == "http://testserver/commons/"


def test_commons_feed_escapes_what_people_wrote(client):
    CommonsFactory(name="<i>Fab</i> & lab", summary="<script>alert(1)</script>")

    raw = client.get(URL).content
    feed = read_feed(client, URL)

    assert titles(feed) == ["<i>Fab</i> & lab"]
    # Escaped as HTML, then as XML: a reader shows the text, never runs it.
    assert b"&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;" in raw
    assert "alert(1)" in feed.entries[0].summary


def test_commons_feed_is_bounded(client):
    CommonsFactory.create_batch(FEED_LENGTH + 1)

    assert len(read_feed(client, URL).entries) == FEED_LENGTH


@pytest.mark.parametrize("items", [1, 3])
def test_commons_feed_runs_a_constant_number_of_queries(client, items, django_assert_num_queries):
    client.get(URL)  # the configuration is cached after the first request
    CommonsFactory.create_batch(items)

    with django_assert_num_queries(2):
        response = client.get(URL)

    assert response.status_code == 200
