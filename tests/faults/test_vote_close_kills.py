"""A worker SIGKILLed while it closes a charter-change vote, in the middle of the charter effect
(which runs in the close's transaction), and while it e-mails the outcome: after a restart the
outcome is computed once, the charter has exactly one new version, and each person gets the outcome
e-mail once."""

import collections
import datetime
import random
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from assembly.models import Delivery
from charter.models import Amendment, Charter, CharterVersion
from decisions import services
from decisions.models import Decision
from decisions.tasks import advance_decisions
from tests.charter.factories import TEXT, add_version, amendment
from tests.decisions.factories import MemberFactory
from tests.faults.conftest import wait_for

ROLL = 120
MAX_KILLS = 12


def blocked_on_the_charter() -> bool:
    """Is another session waiting for the charter's row lock (the charter effect's second step)?"""
    with connection.cursor() as cursor:
        # Inside a transaction the statistics views keep their first snapshot: drop it.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND query LIKE %s",
            [f"%{Charter._meta.db_table}%"],
        )
        return cursor.fetchone()[0] > 0


def received(worker) -> int:
    text = worker.log_path.read_text(errors="replace") if worker.log_path.exists() else ""
    return text.count("Task decisions.advance_decisions[") - text.count("succeeded in")


@pytest.mark.django_db(transaction=True)
def test_vote_close_survives_kills(killable_worker, smtp_sink):
    start = timezone.now() - datetime.timedelta(days=30)
    members = [MemberFactory(email=f"close-{n}@example.org") for n in range(ROLL)]
    base = add_version(text=TEXT)
    proposed = amendment(base, text=TEXT.replace("chaque mois", "chaque semaine"), now=start)
    decision = proposed.decision
    vote_opens = start + datetime.timedelta(days=decision.discussion_days)
    services.open_vote(decision, now=vote_opens)
    for member in members:
        services.cast_vote(decision, voter=member, choice="consent", now=vote_opens)
    # The opening notices went out long ago: only the close and the outcome e-mails are left.
    Decision.objects.filter(pk=decision.pk).update(
        roll_notified_at=vote_opens, reminded_3_days_at=vote_opens, reminded_1_day_at=vote_opens
    )
    versions_before = CharterVersion.objects.count()
    addresses = {m.email for m in members} | {decision.author.email}
    first = len(smtp_sink.messages)

    def outcome_mails():
        return [m["To"] for m in smtp_sink.messages[first:] if m["To"] in addresses]

    # First kill, certain to land in the middle of the charter effect: we hold the charter's row
    # lock, so the worker, having stored the outcome and locked the amendment inside close_vote's
    # transaction, waits there for the charter; it is killed there, then we let go.
    with transaction.atomic():
        Charter.objects.select_for_update().get(pk=base.charter_id)
        killable_worker.start()
        advance_decisions.delay()
        wait_for(blocked_on_the_charter, timeout=90)
        killable_worker.kill()
    # Nothing of the half-run close is left: still voting, the amendment pending, no new version.
    assert Decision.objects.get(pk=decision.pk).phase == Decision.Phase.VOTING
    assert Amendment.objects.get(pk=proposed.pk).status == Amendment.Status.PENDING
    assert CharterVersion.objects.count() == versions_before
    kills = 1

    # Then kills at random points: just after the task arrives (the close and its charter effect)
    # or after a random number of outcome e-mails.
    rng = random.Random()
    killed_while_mailing = 0
    while kills < MAX_KILLS and len(outcome_mails()) < len(addresses) - 40:
        already = received(killable_worker)
        killable_worker.start()
        advance_decisions.delay()
        if rng.random() < 0.3:
            wait_for(lambda already=already: received(killable_worker) > already, timeout=90)
            time.sleep(rng.uniform(0, 0.2))
        else:
            target = len(outcome_mails()) + rng.randint(1, 20)
            wait_for(
                lambda target=target: len(outcome_mails()) >= target, timeout=90, interval=0.01
            )
        killable_worker.kill()
        kills += 1
        # A kill can leave a claim behind once the outcome rows exist, even before the first
        # e-mail reaches the sink (claimed, then killed before or while talking SMTP): count it
        # by the rows, which are written before any claim, not by what the sink has received.
        if Delivery.objects.filter(topic=decision.topic, kind="outcome").exists():
            killed_while_mailing += 1

    killable_worker.start()
    advance_decisions.delay()
    wait_for(
        lambda: Decision.objects.get(pk=decision.pk).outcome_notified_at is not None, timeout=120
    )
    killable_worker.stop()

    closed = Decision.objects.get(pk=decision.pk)
    assert (closed.phase, closed.outcome, closed.consent_count) == ("closed", "adopted", ROLL)
    assert CharterVersion.objects.count() == versions_before + 1
    assert Amendment.objects.get(pk=proposed.pk).status == "applied"
    per_address = collections.Counter(outcome_mails())
    assert max(per_address.values()) == 1, "someone got the outcome twice"
    rows = dict(
        Delivery.objects.filter(topic=decision.topic, kind="outcome").values_list(
            "person__email", "state"
        )
    )
    assert set(rows) == addresses
    for address, state in rows.items():
        # Sent and received, or left "sending" by a kill (uncertain after STUCK_AFTER), never both
        # missing: no one is silently skipped.
        assert state in ("sent", "sending"), (address, state)
        if state == "sent":
            assert per_address[address] == 1
    assert sum(1 for s in rows.values() if s == "sending") <= killed_while_mailing
    assert killed_while_mailing >= 1, kills
