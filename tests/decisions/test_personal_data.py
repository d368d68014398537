"""What decisions hold about a person: in their export, and what deleting their account leaves."""

import datetime
import json

import pytest
import time_machine

from assembly import personal_data
from assembly.people import delete_account
from decisions import services
from decisions.models import Comment, Decision, RollEntry, Vote
from tests.decisions.factories import MemberFactory, discussion, voting
from tests.factories import FacilitatorFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def exported(person) -> dict:
    return json.loads(json.dumps(personal_data.export(person), default=str))["sections"]


def closed_vote(start, voters_and_choices, *, author=None):
    """A decision whose vote opened at `start`, where each (voter, choice) voted, then closed."""
    with time_machine.travel(start, tick=False):
        decision = voting(author, now=start, title="Buy a shared cargo bike")
        for voter, choice in voters_and_choices:
            reason = "Too expensive." if choice == "object" else ""
            services.cast_vote(decision, voter=voter, choice=choice, reason=reason, now=start)
    with time_machine.travel(start + 7 * DAY, tick=False):
        return services.close_vote(decision, now=start + 7 * DAY)


def test_export_lists_the_decisions_i_opened_with_their_proposal(start):
    author = UserFactory()
    with time_machine.travel(start, tick=False):
        decision = discussion(author, title="Buy a shared cargo bike", now=start)
        services.publish_proposal(decision, by=author, text="We buy it.", now=start + DAY)
    discussion(UserFactory(), title="Someone else's idea", now=start)

    sections = exported(author)

    assert [(d["title"], d["proposal"], d["kind"]) for d in sections["authored_decisions"]] == [
        ("Buy a shared cargo bike", "We buy it.", "other")
    ]
    assert sections["authored_decisions"][0]["context"] == "Why we need it."


def test_export_lists_my_comments_hidden_ones_too(start, facilitator):
    person = UserFactory()
    decision = discussion(title="Buy a shared cargo bike", now=start)
    with time_machine.travel(start, tick=False):
        services.add_comment(decision, author=person, text="Yes, please.", now=start)
        spam = services.add_comment(decision, author=person, text="Buy my bikes!", now=start)
        services.add_comment(decision, author=UserFactory(), text="Not mine.", now=start)
    services.hide_comment(spam, by=facilitator)

    comments = exported(person)["decision_comments"]

    assert [(c["decision"], c["text"], c["hidden"]) for c in comments] == [
        ("Buy a shared cargo bike", "Yes, please.", False),
        ("Buy a shared cargo bike", "Buy my bikes!", True),
    ]


def test_export_lists_my_votes_with_every_change(start):
    voter, other = MemberFactory(), MemberFactory()
    with time_machine.travel(start, tick=False):
        decision = voting(now=start, title="Buy a shared cargo bike")
        services.cast_vote(decision, voter=voter, choice="object", reason="Too dear.", now=start)
        services.cast_vote(decision, voter=voter, choice="consent", now=start + DAY)
        services.cast_vote(decision, voter=other, choice="abstain", now=start)

    votes = exported(voter)["votes"]

    assert len(votes) == 1
    assert votes[0]["decision"] == "Buy a shared cargo bike"
    assert (votes[0]["choice"], votes[0]["reason"]) == ("consent", "")
    assert [(change["choice"], change["reason"]) for change in votes[0]["history"]] == [
        ("object", "Too dear."),
        ("consent", ""),
    ]


def test_export_lists_the_rolls_i_was_on_even_without_voting(start):
    voter = MemberFactory()
    with time_machine.travel(start, tick=False):
        voting(now=start, title="Buy a shared cargo bike")

    votes = exported(voter)["votes"]

    assert [(v["decision"], v["choice"], v["history"]) for v in votes] == [
        ("Buy a shared cargo bike", None, [])
    ]


def test_export_lists_the_outcome_statements_i_wrote(start):
    facilitator, other_facilitator = FacilitatorFactory(), FacilitatorFactory()
    decision = closed_vote(start, [])
    services.record_statement(decision, by=facilitator, statement="We bought it.")
    services.record_statement(decision, by=other_facilitator, statement="We bought it in May.")

    assert [
        (s["decision"], s["statement"]) for s in exported(facilitator)["outcome_statements"]
    ] == [("Buy a shared cargo bike", "We bought it.")]
    assert [
        (s["decision"], s["statement"]) for s in exported(other_facilitator)["outcome_statements"]
    ] == [("Buy a shared cargo bike", "We bought it in May.")]


def test_deleting_a_voter_keeps_their_vote_and_its_history_counted_anonymously(start):
    leaving, staying = MemberFactory(), MemberFactory()
    decision = closed_vote(start, [(leaving, "object"), (staying, "consent")])
    before = services.tally(decision)

    personal_data.delete_person(leaving, delete_account)

    decision.refresh_from_db()
    assert services.tally(decision) == before == {"consent": 1, "abstain": 0, "object": 1}
    assert (decision.roll_size, decision.objection_count) == (2, 1)
    assert RollEntry.objects.filter(decision=decision, person=None).count() == 1
    assert Vote.objects.filter(roll_entry__person=None).get().reason == "Too expensive."
    # The history of their vote stays too, without their name.
    assert sorted(Vote.history.values_list("choice", "history_user"), key=str) == [
        ("consent", staying.pk),
        ("object", None),
    ]


def test_deleting_an_author_keeps_their_decisions_and_comments_without_a_name(start):
    author = UserFactory()
    with time_machine.travel(start, tick=False):
        decision = discussion(author, title="Buy a shared cargo bike", now=start)
        services.publish_proposal(decision, by=author, text="We buy it.", now=start + DAY)
        services.add_comment(decision, author=author, text="I'll ride it.", now=start)

    personal_data.delete_person(author, delete_account)

    decision.refresh_from_db()
    assert (decision.title, decision.author) == ("Buy a shared cargo bike", None)
    assert [(c.text, c.author) for c in Comment.objects.all()] == [("I'll ride it.", None)]
    # The history tables keep no trace of who they were either.
    assert set(Decision.history.values_list("author_id", "history_user_id")) == {(None, None)}


def test_deleting_a_facilitator_keeps_the_statement_they_wrote(start):
    facilitator = FacilitatorFactory()
    decision = closed_vote(start, [])
    services.record_statement(decision, by=facilitator, statement="We bought it.")

    personal_data.delete_person(facilitator, delete_account)

    decision.refresh_from_db()
    assert decision.outcome_statement == "We bought it."
    assert not Decision.history.filter(history_user__isnull=False).exists()
