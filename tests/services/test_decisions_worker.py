"""The periodic decisions task, run by a real Celery worker against the test database and SMTP."""

import datetime
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from assembly.models import Delivery
from decisions import services
from decisions.models import Decision
from decisions.tasks import advance_decisions
from tests.decisions.factories import MemberFactory, discussion
from tests.factories import UserFactory
from tests.services.conftest import wait_for


def not_discussion_open(messages):
    """Opening a discussion also tells everyone (from the worker): leave those e-mails aside."""
    return [
        m
        for m in messages
        if not str(make_header(decode_header(m["Subject"]))).startswith(
            ("Une discussion est ouverte", "A discussion is open")
        )
    ]


@pytest.mark.django_db(transaction=True)
def test_worker_opens_the_vote_and_mails_the_roll_once(celery_worker, smtp_sink):
    member = MemberFactory(email="roll-member@example.org")
    decision = discussion(proposal="We buy it.", now=timezone.now() - datetime.timedelta(days=8))
    before = len(smtp_sink.messages)

    advance_decisions.delay()
    advance_decisions.delay()

    wait_for(lambda: Decision.objects.get(pk=decision.pk).phase == Decision.Phase.VOTING)
    wait_for(lambda: Decision.objects.get(pk=decision.pk).roll_notified_at is not None)
    wait_for(lambda: not_discussion_open(smtp_sink.messages[before:]))
    sent = [m for m in not_discussion_open(smtp_sink.messages[before:]) if m["To"] == member.email]
    assert len(sent) == 1
    assert Delivery.objects.filter(kind="vote_open", person=member, state="sent").count() == 1


@pytest.mark.django_db(transaction=True)
def test_worker_closes_the_vote_and_mails_the_outcome_once(celery_worker, smtp_sink):
    opened = timezone.now() - datetime.timedelta(days=8)
    voter = MemberFactory(email="roll-voter@example.org")
    commenter = UserFactory(email="commenter@example.org")
    decision = discussion(proposal="We buy it.", now=opened - datetime.timedelta(days=7))
    services.add_comment(decision, author=commenter, text="Good idea", now=opened)
    services.open_vote(decision, now=opened)
    services.cast_vote(decision, voter=voter, choice="consent", now=opened)
    # The opening notice already went out: only the outcome is left to send.
    Decision.objects.filter(pk=decision.pk).update(
        roll_notified_at=opened, reminded_3_days_at=opened, reminded_1_day_at=opened
    )
    before = len(smtp_sink.messages)

    advance_decisions.delay()
    advance_decisions.delay()

    wait_for(lambda: Decision.objects.get(pk=decision.pk).outcome_notified_at is not None)
    closed = Decision.objects.get(pk=decision.pk)
    assert (closed.phase, closed.outcome, closed.consent_count) == ("closed", "adopted", 1)
    wait_for(lambda: len(not_discussion_open(smtp_sink.messages[before:])) >= 2)
    recipients = sorted(m["To"] for m in not_discussion_open(smtp_sink.messages[before:]))
    assert recipients.count(voter.email) == 1
    assert recipients.count(commenter.email) == 1
    assert Delivery.objects.filter(kind="outcome", state="sent").count() == 3  # with the author
