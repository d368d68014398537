"""Every page issues a constant number of SQL queries whatever the number of items.

Each count includes the assembly configuration (the test cache is cleared before each test, so
the base layout reads it once; in production it is cached).
"""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.utils import timezone
from psycopg import _queries as psycopg_queries

from decisions import services
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import MemberFactory, discussion, voting
from tests.factories import UserFactory

DAY = datetime.timedelta(days=1)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="psycopg's cache of parsed queries"
)


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


@on_postgresql
@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
@pytest.mark.django_db
def test_the_decision_pages_query_is_short_enough_for_psycopg_to_keep_it_parsed(client, signed_in):
    # psycopg parses a query's text into PostgreSQL's form again at every run when the text is
    # longer than MAX_CACHED_STATEMENT_LENGTH bytes (or has more parameters than
    # MAX_CACHED_STATEMENT_PARAMS): some 200 Python calls at each first view of the page, which
    # reads the decision with everything it shows in one query (views/detail.py).
    previous = closed_decision(MemberFactory.create_batch(1))
    previous.title = "The first round"
    previous.save()
    decision = voting()
    decision.previous_round = previous
    decision.save()
    if signed_in:
        client.force_login(UserFactory())
    sent = []

    def keep(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        response = client.get(decision.get_absolute_url())
    # What the page reads of the previous round: the link to it.
    assert f'<a href="/decisions/{previous.pk}/">The first round</a>' in response.content.decode()
    [(sql, params)] = [
        (sql, params)
        for sql, params in sent
        if sql.startswith('SELECT "decisions_decision"."id"') and "my_roll_entry" in sql
    ]
    assert len(sql.encode()) <= psycopg_queries.MAX_CACHED_STATEMENT_LENGTH
    assert len(params) <= psycopg_queries.MAX_CACHED_STATEMENT_PARAMS


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
