"""/feeds/decisions.atom: one entry per event (discussion opened, vote opened, outcome), each with
its own stable id, read with an independent parser."""

import datetime

import pytest
import time_machine

from assembly.models import AssemblyConfiguration
from decisions import services
from decisions.feeds import FEED_LENGTH
from tests.atom import read_feed, titles
from tests.decisions.factories import MemberFactory, discussion, voting

pytestmark = pytest.mark.django_db

URL = "/feeds/decisions.atom"
DAY = datetime.timedelta(days=1)


def test_decisions_feed_has_one_entry_per_event_with_distinct_ids(client, start):
    member = MemberFactory()
    decision = voting(title="Buy a cargo bike", now=start)
    services.cast_vote(decision, voter=member, choice="consent", now=start + DAY)
    services.close_vote(decision, now=start + 8 * DAY)

    feed = read_feed(client, URL)

    assert titles(feed) == [
        "Adopted: Buy a cargo bike",
        "Vote opened: Buy a cargo bike",
        "Discussion opened: Buy a cargo bike",
    ]
    links = [entry.link for entry in feed.entries]
    assert links == [
        f"http://testserver/decisions/{decision.pk}/#outcome-title",
        f"http://testserver/decisions/{decision.pk}/#vote",
        f"http://testserver/decisions/{decision.pk}/#discussion",
    ]
    assert len({entry.id for entry in feed.entries}) == 3
    # Dates in the assembly's time zone (Europe/Paris: UTC+1 in March).
    assert feed.entries[0].updated == "2027-03-09T11:00:00+01:00"
    assert feed.entries[2].updated == "2027-02-22T11:00:00+01:00"
    assert "1 consent, 0 abstain, 0 object" in feed.entries[0].summary
    assert feed.feed.link == "http://testserver/decisions/"
    assert feed.feed.title.endswith("· Decisions")


def test_decisions_feed_ids_stay_the_same_as_the_decision_moves_on(client, start):
    MemberFactory()
    decision = discussion(title="Share the tools", proposal="We share them.", now=start)
    opened_id = read_feed(client, URL).entries[0].id

    services.open_vote(decision, now=start + 7 * DAY)
    feed = read_feed(client, URL)

    assert titles(feed) == ["Vote opened: Share the tools", "Discussion opened: Share the tools"]
    assert feed.entries[1].id == opened_id


def test_decisions_feed_escapes_titles_and_sanitises_markdown(client, start):
    services.open_discussion(
        author=MemberFactory(),
        title="<b>Bold</b> & co",
        kind="other",
        context="Some *context*<script>alert(1)</script>",
        now=start,
    )

    response = client.get(URL)
    feed = read_feed(client, URL)

    assert b"alert(1)" not in response.content  # sanitised away, not merely escaped
    assert feed.entries[0].title == "Discussion opened: <b>Bold</b> & co"
    assert "<em>context</em>" in feed.entries[0].summary
    assert "<script" not in feed.entries[0].summary


def test_decisions_feed_is_bounded(client, start):
    for n in range(FEED_LENGTH + 2):
        discussion(title=f"Decision {n}", now=start + n * datetime.timedelta(minutes=1))

    feed = read_feed(client, URL)

    assert len(feed.entries) == FEED_LENGTH
    assert feed.entries[0].title == f"Discussion opened: Decision {FEED_LENGTH + 1}"


@pytest.mark.parametrize("items", [1, 3])
def test_decisions_feed_runs_a_constant_number_of_queries(
    client, start, items, django_assert_num_queries
):
    MemberFactory()
    for n in range(items):
        decision = voting(title=f"Vote {n}", now=start)
        services.close_vote(decision, now=start + 8 * DAY)
        discussion(title=f"Talk {n}", now=start)

    with time_machine.travel(start + 9 * DAY, tick=False):
        # The configuration cached as after any first page (a warm-up request would fill the
        # anonymous page cache, and the feed would then cost no query at all).
        AssemblyConfiguration.current()
        with django_assert_num_queries(1):
            response = client.get(URL)

    assert response.status_code == 200
