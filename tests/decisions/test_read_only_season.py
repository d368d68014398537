"""After a read-only season, discussions and votes open when it began get its length back, once;
their pages say so, during the season and after."""

import datetime

import pytest
from django.test import override_settings

from decisions import services
from decisions.models import Decision, ReadOnlySeason
from decisions.tasks import advance_decisions
from tests.decisions.factories import discussion, voting

SINCE = datetime.datetime(2027, 3, 10, 12, 0, tzinfo=datetime.UTC)
# Turned off after 5 days: READ_ONLY_SINCE stays set until the sweep has given the time back.
ENDED = SINCE + datetime.timedelta(days=5)
AFTER = override_settings(READ_ONLY=False, READ_ONLY_SINCE=SINCE)
DURING = override_settings(READ_ONLY=True, READ_ONLY_SINCE=SINCE, READ_ONLY_MESSAGE="")


@pytest.mark.django_db
@AFTER
def test_a_discussion_and_a_vote_open_when_it_began_end_later_by_its_length():
    talking = discussion(now=SINCE - datetime.timedelta(days=2))
    vote = voting(now=SINCE - datetime.timedelta(days=3))
    talk_end, vote_end = talking.discussion_ends_at, vote.vote_closes_at

    extended = services.extend_after_read_only_season(now=ENDED)

    talking.refresh_from_db()
    vote.refresh_from_db()
    assert extended == 2
    assert talking.discussion_ends_at == talk_end + datetime.timedelta(days=5)
    assert vote.vote_closes_at == vote_end + datetime.timedelta(days=5)
    assert talking.read_only_extension == vote.read_only_extension == datetime.timedelta(days=5)
    assert list(ReadOnlySeason.objects.values_list("since", "ended_at", "extended")) == [
        (SINCE, ENDED, 2)
    ]


@pytest.mark.django_db
@AFTER
def test_what_was_over_when_it_began_is_left_alone():
    closed = voting(now=SINCE - datetime.timedelta(days=10))
    services.close_vote(closed, now=SINCE - datetime.timedelta(days=2))
    talk_over = discussion(now=SINCE - datetime.timedelta(days=8))
    ends = talk_over.discussion_ends_at

    extended = services.extend_after_read_only_season(now=ENDED)

    talk_over.refresh_from_db()
    assert extended == 0
    assert talk_over.discussion_ends_at == ends
    assert Decision.objects.filter(read_only_extension__isnull=False).count() == 0


@pytest.mark.django_db
@AFTER
def test_the_time_is_given_back_once_however_often_the_sweep_runs():
    talking = discussion(now=SINCE - datetime.timedelta(days=2))
    ends = talking.discussion_ends_at

    first = services.extend_after_read_only_season(now=ENDED)
    second = services.extend_after_read_only_season(now=ENDED + datetime.timedelta(minutes=5))

    talking.refresh_from_db()
    assert (first, second) == (1, 0)
    assert talking.discussion_ends_at == ends + datetime.timedelta(days=5)


@pytest.mark.django_db
@DURING
def test_nothing_is_extended_while_the_season_lasts():
    talking = discussion(now=SINCE - datetime.timedelta(days=2))
    ends = talking.discussion_ends_at

    extended = services.extend_after_read_only_season(now=ENDED)

    talking.refresh_from_db()
    assert extended == 0
    assert talking.discussion_ends_at == ends
    assert not ReadOnlySeason.objects.exists()


@pytest.mark.django_db
@override_settings(READ_ONLY=False, READ_ONLY_SINCE=None)
def test_nothing_is_extended_without_a_season():
    discussion(now=SINCE - datetime.timedelta(days=2))

    assert services.extend_after_read_only_season(now=ENDED) == 0
    assert not ReadOnlySeason.objects.exists()


@pytest.mark.django_db
@AFTER
def test_the_sweep_extends_before_it_closes(time_machine):
    vote = voting(now=SINCE - datetime.timedelta(days=3))
    time_machine.move_to(ENDED, tick=False)

    advance_decisions()

    vote.refresh_from_db()
    # Its 7 days were due to end during the season: it stays open 5 days more instead of closing.
    assert vote.phase == Decision.Phase.VOTING
    assert vote.vote_closes_at == SINCE + datetime.timedelta(days=9)


@pytest.mark.django_db
@DURING
def test_an_open_vote_says_it_will_be_extended_during_the_season(client):
    vote = voting(now=SINCE - datetime.timedelta(days=3))

    page = client.get(vote.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "it will end later by as long as the site stays read-only" in page


@pytest.mark.django_db
@AFTER
def test_an_extended_vote_says_by_how_much(client):
    vote = voting(now=SINCE - datetime.timedelta(days=3))
    services.extend_after_read_only_season(now=ENDED)

    page = client.get(vote.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Extended by 5\xa0days: the site was read-only while it was open." in page
    assert "it will end later" not in page
