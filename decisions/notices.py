"""The e-mails a decision sends, each exactly once, through assembly.notifications.

Each follows the person's choice for the topic "discussions and votes" (assembly.notifications):
as it happens → an e-mail; weekly → an item of their digest; never → nothing.
- a discussion opened → everyone who may comment (anyone signed in), but its author;
- the vote opened → everyone on the frozen roll;
- 3 days, then 1 day, before the close → those on the roll who have not voted;
- the outcome → everyone on the roll and everyone who took part in the discussion;
- no proposal when the discussion ended → the author, once.

A comment is a reply for the decision's author and for those who commented before it: they hear
of it by their choice for the topic "my own things" (`send_replies`), each once per comment.

Each notice is marked on the decision only after `deliver()` returned, so a crash in between means
the next run tries again, and `deliver()` makes sure nobody gets the same e-mail twice.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils.text import Truncator

from assembly.models import Frequency, Topic, User
from assembly.notifications import Outgoing, deliver, digest, render_email, topics

from . import permissions
from .models import Comment, Decision

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


def _email(
    person, kind: str, decision: Decision, template: str, reason: str, **context
) -> Outgoing:
    context = {
        "decision": decision,
        "url": settings.SITE_URL.rstrip("/") + decision.get_absolute_url(),
        **context,
    }

    def build():
        message = render_email(person, f"decisions/email/{template}", context)
        return topics.decorate(message, person, Topic.DECISIONS, topics.REASONS[reason])

    return Outgoing(person, decision.topic, kind, build)


def _roll_people(decision: Decision):
    return User.objects.filter(is_active=True, roll_entries__decision=decision)


def _tell(people, decision: Decision, kind: str, template: str, reason: str, *, now) -> None:
    """E-mail those who hear at once, put an item in the digest of those who read it weekly."""
    at_once, weekly = digest.split(Topic.DECISIONS, people)
    digest.add_items(
        weekly,
        topic=Topic.DECISIONS,
        kind=kind,
        group_key=decision.topic,
        group_title=decision.title,
        title=decision.title,
        url=decision.get_absolute_url(),
        happened_at=now,
    )
    deliver([_email(person, kind, decision, template, reason) for person in at_once], now=now)


def send_discussion_opened(decision: Decision, *, now) -> None:
    """Tell everyone who may comment that a discussion is open (from the worker, once each)."""
    if decision.phase != Decision.Phase.DISCUSSION:
        return
    people = User.objects.filter(is_active=True)
    if decision.author_id:
        people = people.exclude(pk=decision.author_id)
    _tell(people, decision, "discussion_open", "discussion_open", "discussion", now=now)


def send_notices(decision: Decision, *, now) -> None:
    P = Decision.Phase
    if decision.phase == P.AWAITING_PROPOSAL and decision.author_reminded_at is None:
        author = decision.author
        if (
            author
            and author.is_active
            and topics.frequency_of(author, Topic.DECISIONS) != Frequency.NEVER
        ):
            deliver(
                [_email(author, "awaiting_proposal", decision, "awaiting_proposal", "author")],
                now=now,
            )
        _mark(decision, "author_reminded_at", now)

    if decision.phase == P.VOTING:
        if decision.roll_notified_at is None:
            _tell(_roll_people(decision), decision, "vote_open", "vote_open", "roll", now=now)
            _mark(decision, "roll_notified_at", now)
        _send_reminders(decision, now)

    if decision.phase == P.CLOSED and decision.outcome_notified_at is None:
        people = User.objects.filter(
            Q(roll_entries__decision=decision)
            | Q(decision_comments__decision=decision)
            | Q(authored_decisions=decision),
            is_active=True,
        ).distinct()
        _tell(people, decision, "outcome", "outcome", "took_part", now=now)
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
    # A reminder whose moment came before the vote even opened (a vote of 3 days or less) would
    # only repeat the "vote open" notice sent at the same time: it is marked, not sent.
    worth_sending = [
        kind
        for kind, _field in due
        if decision.vote_opens_at is None
        or decision.vote_opens_at < decision.vote_closes_at - REMINDERS[kind][0]
    ]
    if not worth_sending:
        for _kind, field in due:
            _mark(decision, field, now)
        return
    kind = worth_sending[-1]
    # One filter() call: the entry without a vote must be this decision's own roll entry.
    not_voted = topics.hearing(
        Topic.DECISIONS,
        people=User.objects.filter(
            roll_entries__decision=decision, roll_entries__vote__isnull=True
        ),
    )
    deliver(
        [
            _email(
                person,
                kind,
                decision,
                "reminder",
                "roll_reminder",
                closes_at=decision.vote_closes_at,
            )
            for person in not_voted
        ],
        now=now,
    )
    for _kind, field in due:
        _mark(decision, field, now)


# --- Replies: a comment told to the author and the earlier commenters ---------------------------

REPLY_KIND = "comment_reply"
# The sweep tells comments that the on-commit task missed (a broker outage) up to this old.
REPLIES_SWEPT_FOR = datetime.timedelta(days=2)
EXCERPT_WORDS = 60


def reply_url(comment: Comment) -> str:
    return f"{comment.decision.get_absolute_url()}#comment-{comment.pk}"


def reply_audience(comment: Comment):
    """The decision's author and the people who commented before this comment (their comments
    not hidden), who may still read the decision; never the comment's own author."""
    decision = comment.decision
    earlier = (
        Comment.objects.filter(decision=decision, hidden=False)
        .filter(
            Q(created_at__lt=comment.created_at)
            | Q(created_at=comment.created_at, pk__lt=comment.pk)
        )
        .values("author")
    )
    people = User.objects.filter(Q(pk=decision.author_id) | Q(pk__in=earlier))
    if comment.author_id:
        people = people.exclude(pk=comment.author_id)
    return permissions.people_who_may_see(decision, people)


def _reply_email(person, comment: Comment) -> Outgoing:
    decision = comment.decision
    reason = "reply_author" if person.pk == decision.author_id else "reply_commenter"
    context = {
        "decision": decision,
        "comment": comment,
        "commenter": comment.author.display_name if comment.author else "",
        "excerpt": Truncator(comment.text).words(EXCERPT_WORDS),
        "url": settings.SITE_URL.rstrip("/") + reply_url(comment),
    }

    def build():
        message = render_email(person, "decisions/email/comment_reply", context)
        return topics.decorate(message, person, Topic.OWN, topics.REASONS[reason])

    # Once per (comment, person), whatever the other notices about the decision.
    return Outgoing(person, f"comment:{comment.pk}", REPLY_KIND, build)


def send_replies(comment: Comment, *, now) -> int:
    """Tell the reply's audience, each by their choice for "my own things": an e-mail as it
    happens, an item of their weekly digest, or nothing. Safe to run twice: the delivery log
    sends each (comment, person) once, a digest item is recorded once, and the comment is marked
    only after both were done, so a crash in between means the sweep tries again."""
    if comment.replies_told_at is not None:
        return 0
    if comment.hidden:  # hidden before anyone was told: it is no news
        _mark_told(comment, now)
        return 0
    at_once, weekly = digest.split(Topic.OWN, reply_audience(comment))
    items = digest.add_items(
        weekly,
        topic=Topic.OWN,
        kind=REPLY_KIND,
        group_key=comment.decision.topic,
        group_title=comment.decision.title,
        title=Truncator(
            f"{comment.author.display_name if comment.author else '—'}: {comment.text}"
        ).chars(200),
        url=reply_url(comment),
        happened_at=comment.created_at,
    )
    report = deliver([_reply_email(person, comment) for person in at_once], now=now)
    _mark_told(comment, now)
    return items + report.sent


def _mark_told(comment: Comment, now) -> None:
    Comment.objects.filter(pk=comment.pk, replies_told_at=None).update(replies_told_at=now)


def send_due_replies(*, now) -> int:
    """The sweep behind the on-commit task: recent comments nobody was told of yet."""
    comments = list(
        Comment.objects.filter(
            replies_told_at=None, created_at__gte=now - REPLIES_SWEPT_FOR, created_at__lte=now
        ).select_related("decision", "author")
    )
    for comment in comments:
        send_replies(comment, now=now)
    return len(comments)
