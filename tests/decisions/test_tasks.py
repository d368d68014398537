import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from assembly.models import AssemblyConfiguration, Delivery, DigestItem, Frequency, Topic
from assembly.notifications.topics import set_frequency
from config.celery import app as celery_app
from decisions import effects, services
from decisions.models import Decision
from decisions.tasks import advance_decisions
from tests.decisions.factories import MemberFactory, discussion
from tests.factories import UserFactory

DAY = datetime.timedelta(days=1)


def run_task_at(moment):
    with time_machine.travel(moment, tick=False):
        advance_decisions()


def recipients(kind):
    return sorted(
        Delivery.objects.filter(kind=kind, state="sent").values_list("person__email", flat=True)
    )


@pytest.mark.django_db
def test_task_opens_vote_and_tells_the_roll_once(start):
    with time_machine.travel(start, tick=False):
        members = MemberFactory.create_batch(2)
        decision = discussion(proposal="Text", now=start)

    run_task_at(start + 7 * DAY + datetime.timedelta(minutes=3))
    run_task_at(start + 7 * DAY + datetime.timedelta(minutes=8))

    decision.refresh_from_db()
    assert decision.phase == Decision.Phase.VOTING
    assert recipients("vote_open") == sorted(m.email for m in members)
    assert len(mail.outbox) == 2
    assert decision.title in mail.outbox[0].subject
    assert f"{settings.SITE_URL.rstrip('/')}/decisions/{decision.pk}/" in mail.outbox[0].body
    assert "Le vote est ouvert" in mail.outbox[0].subject  # in the person's language


@pytest.mark.django_db
def test_task_before_discussion_end_changes_nothing(start):
    decision = discussion(proposal="Text", now=start)
    run_task_at(start + 7 * DAY - datetime.timedelta(minutes=1))
    decision.refresh_from_db()
    assert decision.phase == Decision.Phase.DISCUSSION
    assert mail.outbox == []


@pytest.mark.django_db
def test_task_without_proposal_reminds_the_author_once(start):
    author = UserFactory()
    decision = discussion(author, now=start)

    run_task_at(start + 7 * DAY)
    run_task_at(start + 8 * DAY)

    decision.refresh_from_db()
    assert decision.phase == Decision.Phase.AWAITING_PROPOSAL
    assert recipients("awaiting_proposal") == [author.email]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_reminders_go_once_to_those_who_have_not_voted(start):
    with time_machine.travel(start, tick=False):
        voted, silent, no_reminders = MemberFactory.create_batch(3)
        set_frequency(no_reminders, Topic.DECISIONS, Frequency.WEEKLY)
        decision = discussion(proposal="Text", now=start)
    run_task_at(start + 7 * DAY)  # vote opens, closes at start + 14 days
    decision.refresh_from_db()
    services.cast_vote(decision, voter=voted, choice="consent", now=start + 8 * DAY)

    for hours in (0, 1, 5):
        run_task_at(start + 11 * DAY + datetime.timedelta(hours=hours))
    assert recipients("reminder_3_days") == [silent.email]
    for hours in (0, 1, 5):
        run_task_at(start + 13 * DAY + datetime.timedelta(hours=hours))
    assert recipients("reminder_1_day") == [silent.email]
    assert Delivery.objects.filter(kind__startswith="reminder").count() == 2


@pytest.mark.django_db
def test_late_task_sends_only_the_nearer_reminder(start):
    with time_machine.travel(start, tick=False):
        MemberFactory()
        decision = discussion(proposal="Text", now=start)
    run_task_at(start + 7 * DAY)

    run_task_at(start + 13 * DAY + datetime.timedelta(hours=2))
    run_task_at(start + 13 * DAY + datetime.timedelta(hours=3))

    assert recipients("reminder_3_days") == []
    assert len(recipients("reminder_1_day")) == 1
    decision.refresh_from_db()
    assert decision.reminded_3_days_at is not None


@pytest.mark.django_db
def test_task_closes_vote_and_announces_outcome_to_roll_and_discussion(start):
    with time_machine.travel(start, tick=False):
        author = UserFactory()
        member = MemberFactory()
        commenter = UserFactory()
        decision = discussion(author, proposal="Text", now=start)
        services.add_comment(decision, author=commenter, text="Good idea", now=start)
    run_task_at(start + 7 * DAY)
    decision.refresh_from_db()
    services.cast_vote(decision, voter=member, choice="consent", now=start + 8 * DAY)

    run_task_at(start + 14 * DAY + datetime.timedelta(minutes=2))
    run_task_at(start + 14 * DAY + datetime.timedelta(minutes=7))

    decision.refresh_from_db()
    assert (decision.phase, decision.outcome) == ("closed", "adopted")
    assert decision.closed_at == start + 14 * DAY + datetime.timedelta(minutes=2)
    assert recipients("outcome") == sorted([author.email, member.email, commenter.email])


@pytest.mark.django_db
def test_task_with_failing_effect_leaves_vote_open_then_closes_next_run(start):

    failures = [RuntimeError("effect failed")]

    def effect(decision, now):
        if failures:
            raise failures.pop()

    effects.register(Decision.Kind.OTHER, effect)
    try:
        decision = discussion(proposal="Text", kind=Decision.Kind.OTHER, now=start)
        run_task_at(start + 7 * DAY)

        run_task_at(start + 14 * DAY)
        decision.refresh_from_db()
        assert decision.phase == Decision.Phase.VOTING

        run_task_at(start + 14 * DAY + datetime.timedelta(minutes=5))
        decision.refresh_from_db()
        assert (decision.phase, decision.outcome) == ("closed", "adopted")
    finally:
        effects._effects[Decision.Kind.OTHER].remove(effect)


@pytest.mark.django_db
def test_a_discussion_that_opens_is_told_from_the_worker_to_everyone_who_may_comment(
    start, django_capture_on_commit_callbacks, monkeypatch
):

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    author, newcomer, weekly, silent = UserFactory.create_batch(4)
    set_frequency(weekly, Topic.DECISIONS, Frequency.WEEKLY)
    set_frequency(silent, Topic.DECISIONS, Frequency.NEVER)

    with (
        time_machine.travel(start, tick=False),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        decision = discussion(author=author, title="Un local partagé", now=start)
    # Nothing is sent from the request itself: only once the transaction committed.
    assert mail.outbox == []
    assert len(callbacks) == 1
    with time_machine.travel(start, tick=False):
        callbacks[0]()
        callbacks[0]()  # a retried task

    assert recipients("discussion_open") == [newcomer.email]
    assert len(mail.outbox) == 1
    assert "A discussion is open" in mail.outbox[0].subject or (
        "Une discussion est ouverte" in mail.outbox[0].subject
    )
    assert list(DigestItem.objects.values_list("person", "kind", "group_key")) == [
        (weekly.pk, "discussion_open", decision.topic)
    ]


@pytest.mark.django_db
def test_vote_open_reaches_the_roll_by_each_ones_choice(start):

    with time_machine.travel(start, tick=False):
        at_once, weekly, silent = MemberFactory.create_batch(3)
        set_frequency(weekly, Topic.DECISIONS, Frequency.WEEKLY)
        set_frequency(silent, Topic.DECISIONS, Frequency.NEVER)
        discussion(proposal="Text", now=start)

    run_task_at(start + 7 * DAY)

    assert recipients("vote_open") == [at_once.email]
    assert list(DigestItem.objects.filter(kind="vote_open").values_list("person", flat=True)) == [
        weekly.pk
    ]
    message = next(m for m in mail.outbox if m.to == [at_once.email])
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db
def test_a_short_vote_sends_no_3_day_reminder_on_top_of_its_opening(start):
    config = AssemblyConfiguration.get()
    config.vote_days = 3
    config.save()
    with time_machine.travel(start, tick=False):
        silent = MemberFactory()
        decision = discussion(proposal="Text", now=start)

    run_task_at(start + 7 * DAY)  # the vote opens for 3 days
    run_task_at(start + 7 * DAY + datetime.timedelta(hours=1))

    assert recipients("vote_open") == [silent.email]
    assert recipients("reminder_3_days") == []
    decision.refresh_from_db()
    assert decision.reminded_3_days_at is not None  # looked at once, never again
    run_task_at(start + 9 * DAY + datetime.timedelta(hours=1))
    assert recipients("reminder_1_day") == [silent.email]
