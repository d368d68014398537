"""The decisions waiting for a person: votes they have not cast, and discussions they took part
in that moved on since their last comment (Decision.objects.awaiting_vote_from and
changed_since_taking_part)."""

import datetime

import pytest

from decisions import services
from decisions.models import Decision
from tests.decisions.factories import MemberFactory, discussion, voting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def awaiting(person, now):
    return list(Decision.objects.awaiting_vote_from(person, now))


def changed(person, now):
    return list(Decision.objects.changed_since_taking_part(person, now))


def test_a_vote_waits_for_a_member_on_the_roll_until_they_cast_it(member, start):
    decision = voting(now=start)

    assert awaiting(member, start + HOUR) == [decision]

    services.cast_vote(decision, voter=member, choice="abstain", now=start + HOUR)

    assert awaiting(member, start + 2 * HOUR) == []


def test_a_vote_does_not_wait_for_someone_off_the_roll_nor_after_its_close(member, start):
    decision = voting(now=start)
    late_member = MemberFactory()  # declared after the roll was frozen

    assert awaiting(late_member, start + HOUR) == []
    assert awaiting(member, decision.vote_closes_at) == []


def test_votes_waiting_come_soonest_close_first(member, start):
    later = voting(now=start)
    sooner = voting(now=start - 3 * DAY)

    assert awaiting(member, start + HOUR) == [sooner, later]


def test_a_discussion_waits_for_a_commenter_once_someone_else_comments(start):
    decision = discussion(now=start)
    commenter = UserFactory()
    services.add_comment(decision, author=commenter, text="Good idea", now=start + HOUR)

    assert changed(commenter, start + 2 * HOUR) == []

    services.add_comment(decision, author=UserFactory(), text="Agreed", now=start + 3 * HOUR)
    services.add_comment(decision, author=UserFactory(), text="Me too", now=start + 4 * HOUR)

    assert changed(commenter, start + 5 * HOUR) == [decision]
    assert changed(commenter, start + 5 * HOUR)[0].new_comments == 2

    services.add_comment(decision, author=commenter, text="Thanks", now=start + 6 * HOUR)

    assert changed(commenter, start + 7 * HOUR) == []


def test_hidden_comments_are_not_news(start, facilitator):
    decision = discussion(now=start)
    commenter = UserFactory()
    services.add_comment(decision, author=commenter, text="Good idea", now=start + HOUR)
    spam = services.add_comment(decision, author=UserFactory(), text="Spam", now=start + 2 * HOUR)
    services.hide_comment(spam, by=facilitator)

    assert changed(commenter, start + 3 * HOUR) == []


def test_the_author_hears_of_new_comments_on_their_discussion(start):
    author = UserFactory()
    decision = discussion(author, now=start)

    assert changed(author, start + HOUR) == []

    services.add_comment(decision, author=UserFactory(), text="Why?", now=start + 2 * HOUR)

    assert changed(author, start + 3 * HOUR) == [decision]


def test_a_written_proposal_is_news_to_commenters_not_to_its_author(start):
    author = UserFactory()
    decision = discussion(author, now=start)
    commenter = UserFactory()
    services.add_comment(decision, author=commenter, text="Write it", now=start + HOUR)
    services.add_comment(decision, author=author, text="Soon", now=start + 2 * HOUR)

    services.publish_proposal(decision, by=author, text="We do it.", now=start + 3 * HOUR)

    assert changed(commenter, start + 4 * HOUR) == [decision]
    assert changed(author, start + 4 * HOUR) == []


def test_the_vote_opening_and_the_outcome_are_news_then_fade_after_a_week(start):
    decision = discussion(proposal="We do it.", now=start)
    commenter = UserFactory()
    services.add_comment(decision, author=commenter, text="Fine", now=start + HOUR)

    services.open_vote(decision, now=start + 7 * DAY)
    assert changed(commenter, start + 7 * DAY + HOUR) == [decision]

    services.close_vote(decision, now=start + 14 * DAY)
    assert changed(commenter, start + 14 * DAY + HOUR) == [decision]
    assert changed(commenter, start + 21 * DAY + HOUR) == []


def test_discussions_others_took_part_in_do_not_wait_for_me(start):
    decision = discussion(now=start)
    services.add_comment(decision, author=UserFactory(), text="Hi", now=start + HOUR)

    assert changed(UserFactory(), start + 2 * HOUR) == []
