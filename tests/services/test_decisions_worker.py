"""The periodic decisions task, run by a real Celery worker against the test database and SMTP."""

import datetime

import pytest
from django.utils import timezone

from decisions.models import Decision
from decisions.tasks import advance_decisions
from tests.decisions.factories import MemberFactory, discussion
from tests.services.conftest import wait_for
from workshops.models import Delivery


@pytest.mark.django_db(transaction=True)
def test_worker_opens_the_vote_and_mails_the_roll_once(celery_worker, smtp_sink):
    member = MemberFactory(email="roll-member@example.org")
    decision = discussion(proposal="We buy it.", now=timezone.now() - datetime.timedelta(days=8))
    before = len(smtp_sink.messages)

    advance_decisions.delay()
    advance_decisions.delay()

    wait_for(lambda: Decision.objects.get(pk=decision.pk).phase == Decision.Phase.VOTING)
    wait_for(lambda: Decision.objects.get(pk=decision.pk).roll_notified_at is not None)
    wait_for(lambda: len(smtp_sink.messages) > before)
    sent = [m for m in smtp_sink.messages[before:] if m["To"] == member.email]
    assert len(sent) == 1
    assert Delivery.objects.filter(kind="vote_open", person=member, state="sent").count() == 1
