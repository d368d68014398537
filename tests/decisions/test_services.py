import datetime
import hashlib

import pytest
import time_machine
from django.utils import timezone

from assembly.models import AssemblyConfiguration
from decisions import effects, services
from decisions.models import Decision, RollEntry, Vote
from decisions.services import DecisionError
from tests.decisions.factories import MemberFactory, discussion, voting
from tests.factories import UserFactory

DAY = datetime.timedelta(days=1)


@pytest.mark.django_db
def test_open_discussion_copies_configured_lengths_and_quorum(start):
    config = AssemblyConfiguration.get()
    config.discussion_days, config.vote_days, config.vote_quorum_percent = 5, 9, 30
    config.save()

    decision = discussion(now=start)

    assert (decision.discussion_days, decision.vote_days, decision.quorum_percent) == (5, 9, 30)
    assert decision.discussion_ends_at == start + 5 * DAY
    assert decision.phase == Decision.Phase.DISCUSSION


@pytest.mark.django_db
def test_lifecycle_discussion_vote_close_adopted(start):
    with time_machine.travel(start, tick=False):
        author = UserFactory()
        voters = MemberFactory.create_batch(3)
        decision = discussion(author, now=start)
        services.publish_proposal(decision, by=author, text="We buy it.", now=start + DAY)
        services.publish_proposal(
            decision, by=author, text="We buy it for 2,000 €.", now=start + 2 * DAY
        )

    with time_machine.travel(start + 7 * DAY, tick=False):
        services.advance(decision, now=timezone.now())
    assert decision.phase == Decision.Phase.VOTING
    assert decision.vote_closes_at == start + 14 * DAY
    assert decision.roll_size == 3
    versions = [(v["text"], v["at"]) for v in decision.proposal_versions()]
    assert versions == [("We buy it.", start + DAY), ("We buy it for 2,000 €.", start + 2 * DAY)]

    for voter in voters[:2]:
        services.cast_vote(decision, voter=voter, choice="consent", now=start + 8 * DAY)

    with time_machine.travel(start + 14 * DAY, tick=False):
        services.advance(decision, now=timezone.now())
    decision.refresh_from_db()
    assert decision.phase == Decision.Phase.CLOSED
    assert decision.outcome == Decision.Outcome.ADOPTED
    assert (decision.consent_count, decision.abstain_count, decision.objection_count) == (2, 0, 0)
    assert decision.turnout_percent == 66.7


@pytest.mark.django_db
def test_discussion_without_proposal_awaits_then_votes_a_full_length(start):
    author = UserFactory()
    decision = discussion(author, now=start)

    services.advance(decision, now=start + 7 * DAY)
    assert decision.phase == Decision.Phase.AWAITING_PROPOSAL

    services.publish_proposal(decision, by=author, text="Final text.", now=start + 10 * DAY)
    assert decision.phase == Decision.Phase.VOTING
    assert decision.vote_opens_at == start + 10 * DAY
    assert decision.vote_closes_at == start + 17 * DAY


@pytest.mark.django_db
def test_advance_twice_changes_the_phase_once(start):
    MemberFactory()
    decision = discussion(proposal="Text", now=start)
    services.advance(decision, now=start + 7 * DAY)
    stale = Decision.objects.get(pk=decision.pk)
    stale.phase = Decision.Phase.DISCUSSION  # a second worker read it before the first wrote

    services.advance(stale, now=start + 7 * DAY + datetime.timedelta(minutes=5))

    assert RollEntry.objects.filter(decision=decision).count() == 1
    assert Decision.objects.get(pk=decision.pk).vote_opens_at == start + 7 * DAY


@pytest.mark.django_db
def test_roll_is_frozen_when_the_vote_opens(start):
    with time_machine.travel(start, tick=False):
        on_roll = MemberFactory()
        MemberFactory(is_active=False)
        UserFactory()
        decision = voting(now=start)
        later = MemberFactory()
        on_roll.eligible_until = timezone.localdate() - DAY
        on_roll.save()

    assert list(decision.roll.values_list("person", flat=True)) == [on_roll.pk]
    assert decision.roll_size == 1
    assert decision.roll_fingerprint == services.roll_fingerprint([str(on_roll.pk)])
    services.cast_vote(decision, voter=on_roll, choice="consent", now=start + DAY)
    with pytest.raises(DecisionError, match="not on this vote"):
        services.cast_vote(decision, voter=later, choice="consent", now=start + DAY)


def test_roll_fingerprint_is_sha256_of_sorted_refs():

    assert services.roll_fingerprint(["2", "10", "1"]) == hashlib.sha256(b"1\n10\n2").hexdigest()


@pytest.mark.django_db
def test_cast_vote_objection_without_reason_is_refused(start, member):
    decision = voting(now=start)
    with pytest.raises(DecisionError, match="objection needs a reason"):
        services.cast_vote(decision, voter=member, choice="object", reason="  ", now=start)
    assert Vote.objects.count() == 0


@pytest.mark.django_db
def test_cast_vote_change_keeps_one_vote_and_its_history(start, member):
    decision = voting(now=start)
    services.cast_vote(decision, voter=member, choice="object", reason="Too dear", now=start)
    services.cast_vote(decision, voter=member, choice="consent", now=start + DAY)

    vote = Vote.objects.get()
    assert (vote.choice, vote.reason) == ("consent", "")
    assert [h.choice for h in vote.history.order_by("history_date", "history_id")] == [
        "object",
        "consent",
    ]


@pytest.mark.django_db
def test_cast_vote_after_close_time_is_refused(start, member):
    decision = voting(now=start)
    with pytest.raises(DecisionError, match="closed"):
        services.cast_vote(decision, voter=member, choice="consent", now=start + 7 * DAY)
    assert Vote.objects.count() == 0


@pytest.mark.parametrize(
    ("objections", "votes", "roll", "quorum", "outcome"),
    [
        (0, 0, 10, 0, "adopted"),
        (0, 0, 0, 0, "adopted"),
        (1, 10, 10, 0, "not_adopted"),
        (0, 2, 10, 20, "adopted"),
        (0, 1, 10, 20, "not_adopted"),
        (0, 0, 0, 20, "not_adopted"),
    ],
)
def test_outcome_for_quorum_and_objections(objections, votes, roll, quorum, outcome):
    assert (
        services.outcome_for(
            objections=objections, votes=votes, roll_size=roll, quorum_percent=quorum
        )
        == outcome
    )


@pytest.mark.django_db
def test_close_vote_with_objection_is_not_adopted(start, member):
    decision = voting(now=start)
    services.cast_vote(decision, voter=member, choice="object", reason="No", now=start)
    services.close_vote(decision, now=start + 7 * DAY)
    assert decision.outcome == Decision.Outcome.NOT_ADOPTED
    assert decision.objection_count == 1


@pytest.mark.django_db
def test_close_vote_below_quorum_is_not_adopted(start):
    config = AssemblyConfiguration.get()
    config.vote_quorum_percent = 50
    config.save()
    voters = MemberFactory.create_batch(3)
    decision = voting(now=start)
    services.cast_vote(decision, voter=voters[0], choice="consent", now=start)

    services.close_vote(decision, now=start + 7 * DAY)

    assert decision.outcome == Decision.Outcome.NOT_ADOPTED


@pytest.mark.django_db
def test_close_vote_before_its_time_is_refused(start):
    decision = voting(now=start)
    with pytest.raises(DecisionError, match="open until"):
        services.close_vote(decision, now=start + 6 * DAY)
    assert Decision.objects.get().phase == Decision.Phase.VOTING


@pytest.fixture
def temporary_effect():
    registered = []

    def register(kind, fn):
        effects.register(kind, fn)
        registered.append((kind, fn))

    yield register
    for kind, fn in registered:
        effects._effects[kind].remove(fn)


@pytest.mark.django_db
def test_close_vote_runs_effect_which_may_edit_the_statement(start, temporary_effect):
    seen = []

    def effect(decision, now):
        seen.append((decision.pk, decision.outcome, now))
        decision.outcome_statement = "Adopted — conflict with another amendment."

    temporary_effect(Decision.Kind.OTHER, effect)
    decision = voting(now=start)

    services.close_vote(decision, now=start + 7 * DAY)

    assert seen == [(decision.pk, "adopted", start + 7 * DAY)]
    stored = Decision.objects.get()
    assert stored.outcome_statement == "Adopted — conflict with another amendment."


@pytest.mark.django_db
def test_failing_effect_rolls_the_close_back_and_next_run_closes(start, temporary_effect):
    failures = [RuntimeError("charter broke")]

    def effect(decision, now):
        if failures:
            raise failures.pop()

    temporary_effect(Decision.Kind.OTHER, effect)
    decision = voting(now=start)

    with pytest.raises(RuntimeError):
        services.close_vote(decision, now=start + 7 * DAY)
    assert Decision.objects.get().phase == Decision.Phase.VOTING

    services.close_vote(Decision.objects.get(), now=start + 7 * DAY + datetime.timedelta(minutes=5))
    assert Decision.objects.get().outcome == Decision.Outcome.ADOPTED


@pytest.mark.django_db
def test_effect_does_not_run_when_not_adopted(start, member, temporary_effect):
    seen = []
    temporary_effect(Decision.Kind.OTHER, lambda decision, now: seen.append(decision))
    decision = voting(now=start)
    services.cast_vote(decision, voter=member, choice="object", reason="No", now=start)

    services.close_vote(decision, now=start + 7 * DAY)

    assert seen == []


@pytest.mark.django_db
def test_publish_proposal_by_someone_else_is_refused(start):
    decision = discussion(now=start)
    with pytest.raises(DecisionError, match="Only the author"):
        services.publish_proposal(decision, by=UserFactory(), text="Mine", now=start)


@pytest.mark.django_db
def test_publish_proposal_during_vote_is_refused(start):
    decision = voting(now=start)
    with pytest.raises(DecisionError, match="vote has started"):
        services.publish_proposal(decision, by=decision.author, text="New", now=start + DAY)


@pytest.mark.django_db
def test_publish_proposal_after_discussion_end_before_task_opens_vote_with_old_text(start):
    decision = discussion(proposal="Old", now=start)
    with pytest.raises(DecisionError):
        services.publish_proposal(decision, by=decision.author, text="New", now=start + 8 * DAY)
    decision = Decision.objects.get()
    assert (decision.phase, decision.proposal) == (Decision.Phase.VOTING, "Old")
    assert decision.vote_opens_at == start + 8 * DAY


@pytest.mark.django_db
def test_withdraw_by_author_in_discussion(start):
    decision = discussion(now=start)
    services.withdraw(decision, by=decision.author, now=start + DAY)
    assert (decision.phase, decision.outcome) == ("withdrawn", "withdrawn")


@pytest.mark.django_db
def test_withdraw_during_vote_is_refused(start):
    decision = voting(now=start)
    with pytest.raises(DecisionError):
        services.withdraw(decision, by=decision.author, now=start)


@pytest.mark.django_db
def test_edit_comment_within_15_minutes_only(start):
    decision = discussion(now=start)
    author = UserFactory()
    comment = services.add_comment(decision, author=author, text="First", now=start)

    services.edit_comment(
        comment, by=author, text="Fixed", now=start + datetime.timedelta(minutes=15)
    )
    with pytest.raises(DecisionError, match="15 minutes"):
        services.edit_comment(
            comment, by=author, text="Late", now=start + datetime.timedelta(minutes=16)
        )

    comment.refresh_from_db()
    assert comment.text == "Fixed"


@pytest.mark.django_db
def test_edit_comment_hidden_by_a_facilitator_is_refused(start, facilitator):
    decision = discussion(now=start)
    author = UserFactory()
    comment = services.add_comment(decision, author=author, text="Spam", now=start)
    services.hide_comment(comment, by=facilitator)

    with pytest.raises(DecisionError, match="hid this comment"):
        services.edit_comment(
            comment, by=author, text="Innocent", now=start + datetime.timedelta(minutes=1)
        )

    comment.refresh_from_db()
    assert (comment.text, comment.hidden) == ("Spam", True)


@pytest.mark.django_db
def test_hide_comment_needs_a_facilitator(start, facilitator):
    decision = discussion(now=start)
    comment = services.add_comment(decision, author=UserFactory(), text="Spam", now=start)
    with pytest.raises(DecisionError):
        services.hide_comment(comment, by=UserFactory())
    services.hide_comment(comment, by=facilitator)
    comment.refresh_from_db()
    assert comment.hidden is True


@pytest.mark.django_db
def test_start_new_round_links_previous(start, member):
    decision = voting(now=start)
    services.cast_vote(decision, voter=member, choice="object", reason="No", now=start)
    services.close_vote(decision, now=start + 7 * DAY)

    again = services.start_new_round(
        decision, by=decision.author, title="Round 2", proposal="Revised", now=start + 8 * DAY
    )

    assert again.previous_round == decision
    assert (again.phase, again.kind, again.proposal) == ("discussion", decision.kind, "Revised")


@pytest.mark.django_db
def test_open_decisions_lists_discussion_and_vote_but_not_closed(start):
    in_discussion = discussion(now=timezone.now())
    in_vote = voting(now=timezone.now())
    closed = voting(now=start)
    services.close_vote(closed, now=start + 7 * DAY)

    assert set(services.open_decisions()) == {in_discussion, in_vote}
