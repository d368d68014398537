"""Row locks under real concurrency: these need PostgreSQL (SQLite serialises every writer)."""

import datetime

import pytest

from decisions import effects, services
from decisions.models import Decision, RollEntry, Vote
from decisions.services import DecisionError
from tests.concurrency import needs_postgresql, run_together
from tests.decisions.factories import MemberFactory, discussion, voting

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _postgresql_only():
    needs_postgresql()


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_ballots_of_one_voter_leave_one_vote(start):
    voter = MemberFactory()
    decision = voting(now=start)
    choices = ["consent", "abstain", "object"]

    def ballot(n):
        return lambda: services.cast_vote(
            Decision.objects.get(pk=decision.pk),
            voter=voter,
            choice=choices[n % 3],
            reason=f"reason {n}",
            now=start + DAY,
        )

    errors = run_together(*(ballot(n) for n in range(50)))

    assert errors == [None] * 50
    assert Vote.objects.filter(decision=decision).count() == 1
    assert Vote.history.filter(decision_id=decision.pk).count() == 50


@pytest.mark.django_db(transaction=True)
def test_vote_racing_the_close_is_counted_or_refused_never_written_after(start):
    voters = MemberFactory.create_batch(2)
    outcomes = {"counted": 0, "refused": 0}
    for _round in range(15):
        decision = voting(now=start)
        services.cast_vote(decision, voter=voters[0], choice="consent", now=start)
        closes = decision.vote_closes_at

        def cast(decision=decision, closes=closes):
            services.cast_vote(
                Decision.objects.get(pk=decision.pk),
                voter=voters[1],
                choice="object",
                reason="Late",
                now=closes - datetime.timedelta(milliseconds=1),
            )

        def close(decision=decision, closes=closes):
            services.close_vote(Decision.objects.get(pk=decision.pk), now=closes)

        cast_error, close_error = run_together(cast, close)

        assert close_error is None
        decision.refresh_from_db()
        votes = Vote.objects.filter(decision=decision).count()
        if cast_error is None:
            # The vote came first: the close counted it, and it blocks adoption.
            assert (votes, decision.objection_count, decision.outcome) == (2, 1, "not_adopted")
            outcomes["counted"] += 1
        else:
            assert isinstance(cast_error, DecisionError)
            assert (votes, decision.objection_count, decision.outcome) == (1, 0, "adopted")
            outcomes["refused"] += 1
    assert sum(outcomes.values()) == 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_closes_close_once(start, django_capture_on_commit_callbacks):
    MemberFactory()
    decision = voting(now=start)
    calls = []

    def effect(decision, now):
        calls.append(decision.pk)

    effects.register(decision.kind, effect)
    try:
        errors = run_together(
            *(
                (
                    lambda: services.close_vote(
                        Decision.objects.get(pk=decision.pk), now=start + 7 * DAY
                    )
                )
                for _ in range(5)
            )
        )
    finally:
        effects._effects[decision.kind].remove(effect)

    assert [type(e) for e in errors].count(type(None)) == 1
    assert all(isinstance(e, DecisionError) for e in errors if e is not None)
    assert calls == [decision.pk]


@pytest.mark.django_db(transaction=True)
def test_concurrent_task_runs_open_the_vote_once(start):

    MemberFactory.create_batch(3)
    decision = discussion(proposal="Text", now=start)

    errors = run_together(*((lambda: services.advance_due(now=start + 7 * DAY)) for _ in range(5)))

    assert errors == [None] * 5
    assert RollEntry.objects.filter(decision=decision).count() == 3
