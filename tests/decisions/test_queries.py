"""Every page issues a constant number of SQL queries whatever the number of items.

Each count includes the assembly configuration (the test cache is cleared before each test, so
the base layout reads it once; in production it is cached).
"""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from decisions import services
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import MemberFactory, discussion, voting
from tests.factories import UserFactory

DAY = datetime.timedelta(days=1)


def closed_decision(voters):
    """Closed after the `voters` voted, the first of them objecting."""
    decision = voting(now=timezone.now() - 8 * DAY)
    for n, voter in enumerate(voters):
        services.cast_vote(
            decision,
            voter=voter,
            choice="consent" if n % 2 else "object",
            reason="Reason",
            now=timezone.now() - 7 * DAY,
        )
    return services.close_vote(decision, now=timezone.now())


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.django_db
def test_log_queries_are_constant_anonymous(client, count, django_assert_num_queries):
    for n in range(count):
        discussion(title=f"Decision {n}")
    # configuration, count, page of decisions
    with django_assert_num_queries(3):
        response = client.get("/decisions/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.django_db
def test_log_queries_are_constant_signed_in(client, count, django_assert_num_queries):
    voters = MemberFactory.create_batch(3)
    for n in range(count):
        voting(title=f"Decision {n}") if n % 2 else closed_decision(voters[:1])
    client.force_login(UserFactory())
    # session, user, configuration, count, page
    with django_assert_num_queries(5):
        response = client.get("/decisions/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_detail_in_discussion_queries_are_constant(client, count, django_assert_num_queries):
    decision = discussion(proposal="First")
    services.publish_proposal(
        decision, by=decision.author, text="Second", now=timezone.now() - 6 * DAY
    )
    for _n in range(count):
        services.add_comment(decision, author=UserFactory(), text="Comment")
    client.force_login(UserFactory())
    # session, user (with whether they facilitate), configuration, decision (with whether it has
    # related commons, next rounds, comments, versions: it has no commons nor rounds), comments,
    # versions
    with django_assert_num_queries(6):
        response = client.get(decision.get_absolute_url())
    assert response.content.decode().count('class="comment"') == count


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_detail_during_vote_queries_are_constant(client, count, django_assert_num_queries):
    voters = MemberFactory.create_batch(count)
    decision = voting()
    for voter in voters:
        services.cast_vote(decision, voter=voter, choice="object", reason="No")
    client.force_login(voters[0])
    # session, user (with whether they facilitate), configuration, decision (with the tally and
    # this person's roll entry and vote; no comments, one version), objections
    with django_assert_num_queries(5):
        response = client.get(decision.get_absolute_url())
    assert response.content.decode().count("<li><strong>") == count


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_detail_closed_anonymous_queries_are_constant(client, count, django_assert_num_queries):
    decision = closed_decision(MemberFactory.create_batch(count))
    # configuration, decision (with the tally; no comments, one version), objections
    with django_assert_num_queries(3):
        response = client.get(decision.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_detail_with_every_list_queries_are_constant(client, count, django_assert_num_queries):
    voters = MemberFactory.create_batch(count)
    decision = discussion(proposal="First", now=timezone.now() - 7 * DAY)
    services.publish_proposal(
        decision, by=decision.author, text="Second", now=timezone.now() - 6 * DAY
    )
    decision.related_commons.set(CommonsFactory.create_batch(count))
    decision.previous_round = closed_decision(voters[:1])
    decision.save()
    for voter in voters:
        services.add_comment(decision, author=voter, text="Comment", now=timezone.now() - 6 * DAY)
    decision = services.open_vote(decision, now=timezone.now())
    for voter in voters:
        services.cast_vote(decision, voter=voter, choice="object", reason="No")
        services.open_discussion(
            author=voter, title="Next round", kind=decision.kind, previous_round=decision
        )
    client.force_login(voters[0])
    # session, user (with whether they facilitate), configuration, decision, related commons,
    # next rounds, comments, objections, versions
    with django_assert_num_queries(9):
        response = client.get(decision.get_absolute_url())
    assert response.content.decode().count('class="comment"') == count


@pytest.mark.django_db
def test_detail_with_nothing_to_list_asks_for_no_list(client, django_assert_num_queries):
    decision = voting()
    client.force_login(UserFactory())
    # session, user (with whether they facilitate), configuration, decision: no comments,
    # objections, commons, rounds, nor a second version to ask for
    with django_assert_num_queries(4):
        response = client.get(decision.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_minutes_queries_are_constant(client, count, django_assert_num_queries):
    decision = closed_decision(MemberFactory.create_batch(count))
    # configuration, decision, related commons, next rounds, objections
    with django_assert_num_queries(5):
        response = client.get(f"/decisions/{decision.pk}/minutes/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.django_db
def test_home_partial_queries_are_constant(count, django_assert_num_queries):

    for n in range(count):
        discussion(title=f"Open {n}")
    # the open decisions with their authors
    with django_assert_num_queries(1):
        html = Template(
            "{% load decisions_home %}{% decisions_home_section open_decisions %}"
        ).render(Context({"open_decisions": services.open_decisions()[:5]}))
    assert html.count('class="card"') == count
