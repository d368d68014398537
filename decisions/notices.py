"""The e-mails a decision sends, each exactly once, through assembly.notifications.

- the vote opened → everyone on the roll;
- 3 days, then 1 day, before the close → those on the roll who have not voted (and want reminders);
- the outcome → everyone on the roll and everyone who took part in the discussion;
- no proposal when the discussion ended → the author, once.

Each notice is marked on the decision only after `deliver()` returned, so a crash in between means
the next run tries again, and `deliver()` makes sure nobody gets the same e-mail twice.
"""

import datetime

from django.conf import settings
from django.db.models import Q

from assembly.models import User
from assembly.notifications import Outgoing, deliver, render_email

from .models import Decision

REMINDERS = {
    # kind: (time before the close, field marking it sent)
    "reminder_3_days": (datetime.timedelta(days=3), "reminded_3_days_at"),
    "reminder_1_day": (datetime.timedelta(days=1), "reminded_1_day_at"),
}


def decisions_with_due_notices(now):
    P = Decision.Phase
    return Decision.objects.filter(
        Q(phase=P.AWAITING_PROPOSAL, author_reminded_at=None)
        | Q(phase=P.VOTING, roll_notified_at=None)
        | Q(
            phase=P.VOTING,
            reminded_3_days_at=None,
            vote_closes_at__lte=now + REMINDERS["reminder_3_days"][0],
        )
        | Q(
            phase=P.VOTING,
            reminded_1_day_at=None,
            vote_closes_at__lte=now + REMINDERS["reminder_1_day"][0],
        )
        | Q(phase=P.CLOSED, outcome_notified_at=None)
    ).select_related("author")


def send_due_notices(*, now) -> int:
    """Send every notice whose time has come; returns how many decisions were looked at."""
    decisions = list(decisions_with_due_notices(now))
    for decision in decisions:
        send_notices(decision, now=now)
    return len(decisions)


def _mark(decision: Decision, field: str, now) -> None:
    Decision.objects.filter(pk=decision.pk, **{field: None}).update(**{field: now})


def _email(person, kind: str, decision: Decision, template: str, **context) -> Outgoing:
    context = {
        "decision": decision,
        "url": settings.SITE_URL.rstrip("/") + decision.get_absolute_url(),
        **context,
    }
    return Outgoing(
        person,
        decision.topic,
        kind,
        lambda: render_email(person, f"decisions/email/{template}", context),
    )


def _roll_people(decision: Decision):
    return User.objects.filter(is_active=True, roll_entries__decision=decision)


def send_notices(decision: Decision, *, now) -> None:
    P = Decision.Phase
    if decision.phase == P.AWAITING_PROPOSAL and decision.author_reminded_at is None:
        if decision.author and decision.author.is_active:
            deliver(
                [_email(decision.author, "awaiting_proposal", decision, "awaiting_proposal")],
                now=now,
            )
        _mark(decision, "author_reminded_at", now)

    if decision.phase == P.VOTING:
        if decision.roll_notified_at is None:
            deliver(
                [
                    _email(person, "vote_open", decision, "vote_open")
                    for person in _roll_people(decision)
                ],
                now=now,
            )
            _mark(decision, "roll_notified_at", now)
        _send_reminders(decision, now)

    if decision.phase == P.CLOSED and decision.outcome_notified_at is None:
        people = User.objects.filter(
            Q(roll_entries__decision=decision)
            | Q(decision_comments__decision=decision)
            | Q(authored_decisions=decision),
            is_active=True,
        ).distinct()
        deliver([_email(person, "outcome", decision, "outcome") for person in people], now=now)
        _mark(decision, "outcome_notified_at", now)


def _send_reminders(decision: Decision, now) -> None:
    # When the task runs so late that both reminders are due, only the nearer one is sent.
    due = [
        (kind, field)
        for kind, (before, field) in REMINDERS.items()
        if getattr(decision, field) is None and now >= decision.vote_closes_at - before
    ]
    if not due or now >= decision.vote_closes_at:
        return
    kind, _field = due[-1]
    # One filter() call: the entry without a vote must be this decision's own roll entry.
    not_voted = User.objects.filter(
        is_active=True,
        wants_reminders=True,
        roll_entries__decision=decision,
        roll_entries__vote__isnull=True,
    )
    deliver(
        [
            _email(person, kind, decision, "reminder", closes_at=decision.vote_closes_at)
            for person in not_voted
        ],
        now=now,
    )
    for _kind, field in due:
        _mark(decision, field, now)
