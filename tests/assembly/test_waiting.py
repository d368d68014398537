""" "Waiting for you" on /me/ and the home page: votes to cast, discussions that moved on, notes
to write, each linking to where to act; nothing on home when nothing waits."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from assembly import fragments
from decisions import services
from tests.decisions.factories import MemberFactory, discussion, voting
from tests.factories import UserFactory
from tests.workshops.factories import MeetingFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 3, 10, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def everything_waiting_for(person, items=1):
    """`items` votes to cast, discussions with news and workshops without notes."""
    for n in range(items):
        voting(title=f"Vote {n}", now=NOW - DAY)
        talk = discussion(title=f"Talk {n}", now=NOW - 2 * DAY)
        services.add_comment(talk, author=person, text="Me", now=NOW - 2 * DAY)
        services.add_comment(talk, author=UserFactory(), text="You", now=NOW - DAY)
        meeting = MeetingFactory(starts_at=NOW - 3 * DAY, ends_at=NOW - 3 * DAY + 3 * DAY / 24)
        WorkshopFactory(meeting=meeting, title=f"Workshop {n}", proposed_by=person)


def page(client, url):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("url", ["/", "/me/"])
def test_waiting_lists_each_thing_with_a_link_to_act(client, url):
    member = MemberFactory()
    vote = voting(title="Buy a cargo bike", now=NOW - DAY)
    talk = discussion(title="Share the tools", now=NOW - 2 * DAY)
    services.add_comment(talk, author=member, text="Yes", now=NOW - 2 * DAY)
    services.add_comment(talk, author=UserFactory(), text="No", now=NOW - DAY)
    past = MeetingFactory(starts_at=NOW - 3 * DAY, ends_at=NOW - 3 * DAY + DAY / 8)
    workshop = WorkshopFactory(meeting=past, title="Compost", proposed_by=member)
    client.force_login(member)

    body = page(client, url)

    assert "Waiting for you" in body
    assert f'<a href="/decisions/{vote.pk}/#vote">Vote on “Buy a cargo bike”</a>' in body
    assert (
        f'<a href="/decisions/{talk.pk}/#discussion">See what is new in “Share the tools”</a>'
        in (body)
    )
    assert "1 new comment" in body
    assert f'<a href="/workshops/{workshop.pk}/#id_notes">Write the notes of “Compost”</a>' in body


def test_a_cast_vote_no_longer_waits(client):
    member = MemberFactory()
    vote = voting(title="Buy a cargo bike", now=NOW - DAY)
    services.cast_vote(vote, voter=member, choice="consent", now=NOW - DAY / 2)
    client.force_login(member)

    assert "Buy a cargo bike" not in page(client, "/me/")


def test_nothing_waiting_shows_nothing_on_home_and_says_so_on_me(client):
    client.force_login(UserFactory())

    assert "Waiting for you" not in page(client, "/")
    me = page(client, "/me/")
    assert "Waiting for you" in me
    assert "Nothing is waiting for you." in me


def test_nothing_waits_for_someone_not_signed_in(client):
    voting(title="Buy a cargo bike", now=NOW - DAY)

    assert "Waiting for you" not in page(client, "/")


def test_waiting_is_in_french_by_default(client):
    client.force_login(UserFactory())

    assert "Rien ne vous attend." in client.get("/me/").content.decode()


@pytest.mark.parametrize("items", [1, 3])
def test_home_signed_in_runs_a_constant_number_of_queries(client, items, django_assert_num_queries):
    member = MemberFactory()
    everything_waiting_for(member, items)
    MeetingFactory(starts_at=NOW + 7 * DAY)
    client.force_login(member)
    client.get("/")  # the configuration is cached after the first page

    # session, user, next meeting, its workshops, newest commons, open decisions (the charter's
    # current version comes from the cache), and what is waiting: votes, discussions, workshop notes
    with django_assert_num_queries(9):
        response = client.get("/")

    assert response.content.decode().count('class="card waiting-') == 3 * items


@pytest.mark.parametrize("items", [1, 3])
def test_me_with_things_waiting_runs_a_constant_number_of_queries(
    client, items, django_assert_num_queries
):
    member = MemberFactory()
    everything_waiting_for(member, items)
    client.force_login(member)

    with time_machine.travel(timezone.now(), tick=False):
        client.get("/me/")
        fragments.forget_all()
        # session, user, sessions, private calendar (the configuration comes from the cache),
        # and what is waiting: votes, discussions, workshop notes
        with django_assert_num_queries(7):
            response = client.get("/me/")
        assert response.content.decode().count('class="card waiting-') == 3 * items

        # Nothing written since, the same minute: the page's body is kept (the session and the person).
        with django_assert_num_queries(2):
            again = client.get("/me/")
        assert again.content.decode().count('class="card waiting-') == 3 * items
