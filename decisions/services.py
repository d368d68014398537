"""The rules that move a decision along: discussion, proposal, vote, close.

Each function takes its inputs explicitly, runs in one transaction and locks the decision row it
changes, so that every phase change happens once even when the periodic task runs late or twice.
Views, tasks, the admin, seed_demo and the charter app all call these functions.
"""

import datetime
import hashlib
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assembly import read_only
from assembly.domain import DomainError
from assembly.models import AssemblyConfiguration, User
from assembly.prepared import prepared
from assembly.tasking import enqueue_on_commit

from . import effects
from .models import Comment, Decision, ReadOnlySeason, RollEntry, Vote

logger = logging.getLogger(__name__)

COMMENT_EDIT_WINDOW = datetime.timedelta(minutes=15)
ZERO = datetime.timedelta(0)


class DecisionError(DomainError):
    """A rule of the decision process refused an action; the message is for a person to read."""


def _now(now):
    return now or timezone.now()


def _locked(decision: Decision) -> Decision:
    """Re-read the decision under a row lock: the phase we act on is the phase in the database."""
    return Decision.objects.select_for_update().get(pk=decision.pk)


def _refresh(target: Decision, source: Decision) -> None:
    """Give the caller's instance the values just written under the lock."""
    for field in Decision._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def format_moment(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def roll_fingerprint(voter_refs: Iterable[str]) -> str:
    """SHA-256 of the sorted voter references, one per line: anyone can recompute it."""
    return hashlib.sha256("\n".join(sorted(voter_refs)).encode()).hexdigest()


# --- Discussion -----------------------------------------------------------------------------------


def open_discussion(
    *,
    author,
    title: str,
    kind: str,
    context: str = "",
    proposal: str = "",
    related_commons=(),
    previous_round: Decision | None = None,
    now=None,
) -> Decision:
    """A participant opens a discussion; its lengths and quorum are those configured today."""
    now = _now(now)
    if author is None or not author.is_authenticated or not author.is_active:
        raise DecisionError(_("Sign in to open a discussion."))
    if not title.strip():
        raise DecisionError(_("A discussion needs a title."))
    if kind not in Decision.Kind.values:
        raise DecisionError(_("Choose what kind of decision this is."))
    config = AssemblyConfiguration.get()
    with transaction.atomic():
        decision = Decision.objects.create(
            title=title.strip(),
            kind=kind,
            context=context,
            proposal=proposal.strip(),
            author=author,
            previous_round=previous_round,
            discussion_days=config.discussion_days,
            vote_days=config.vote_days,
            quorum_percent=config.vote_quorum_percent,
            created_at=now,
            discussion_ends_at=now + datetime.timedelta(days=config.discussion_days),
        )
        if related_commons:
            decision.related_commons.set(related_commons)
        # Told from the worker once the discussion exists for everyone, never from the request.

        enqueue_on_commit("decisions.announce_discussion", decision_id=decision.pk)
    return decision


def publish_proposal(decision: Decision, *, by, text: str, now=None) -> Decision:
    """The author writes or revises the proposal; every version is kept in the history.

    A decision awaiting its proposal opens its vote, for a full vote length, as soon as the
    proposal is published.
    """
    now = _now(now)
    text = text.strip()
    if not text:
        raise DecisionError(_("Write the proposal to be decided."))
    if by is None or decision.author_id != by.pk:
        raise DecisionError(_("Only the author of the discussion can write its proposal."))
    # The periodic task may be late: first do what it would have done when the discussion ended
    # (in its own transaction, so that refusing this edit does not undo it).
    advance(decision, now=now)
    with transaction.atomic():
        locked = _locked(decision)
        if locked.phase not in (Decision.Phase.DISCUSSION, Decision.Phase.AWAITING_PROPOSAL):
            raise DecisionError(_("The proposal can no longer change: the vote has started."))
        locked.proposal = text
        locked._history_date = now  # the version shows when it was written, even in tests
        locked.save()
        if locked.phase == Decision.Phase.AWAITING_PROPOSAL:
            _open_vote(locked, now)
        _refresh(decision, locked)
    return decision


def add_comment(decision: Decision, *, author, text: str, now=None) -> Comment:
    now = _now(now)
    if not text.strip():
        raise DecisionError(_("Write something before sending your comment."))
    with transaction.atomic():
        locked = _locked(decision)
        if not locked.is_open_for_comments:
            raise DecisionError(_("The discussion is over: comments are closed."))
        comment = Comment.objects.create(
            decision=locked, author=author, text=text.strip(), created_at=now
        )
        # The author and the earlier commenters hear of it from the worker, after the commit.

        enqueue_on_commit("decisions.tell_replies", comment_id=comment.pk)
    return comment


def edit_comment(comment: Comment, *, by, text: str, now=None) -> Comment:
    """Its author may correct a comment during the first 15 minutes, unless a facilitator hid it
    (an edit must not launder what was hidden)."""
    now = _now(now)
    if not text.strip():
        raise DecisionError(_("A comment cannot be empty."))
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if by is None or locked.author_id != by.pk:
            raise DecisionError(_("Only its author can edit a comment."))
        if locked.hidden:
            raise DecisionError(_("A facilitator hid this comment: it can no longer be edited."))
        if now > locked.created_at + COMMENT_EDIT_WINDOW:
            raise DecisionError(
                _("A comment can be edited only during the 15 minutes after it was written.")
            )
        locked.text = text.strip()
        locked.edited_at = now
        locked.save(update_fields=["text", "edited_at"])
    return locked


def hide_comment(comment: Comment, *, by, hidden: bool = True) -> Comment:
    if by is None or not by.is_facilitator:
        raise DecisionError(_("Only facilitators can hide a comment."))
    Comment.objects.filter(pk=comment.pk).update(hidden=hidden)
    comment.hidden = hidden
    return comment


def withdraw(decision: Decision, *, by, now=None) -> Decision:
    """The author (or a facilitator) withdraws a decision before its vote opens."""
    now = _now(now)
    with transaction.atomic():
        locked = _locked(decision)
        if by is None or not (locked.author_id == by.pk or by.is_facilitator):
            raise DecisionError(_("Only the author or a facilitator can withdraw a decision."))
        if locked.phase not in (Decision.Phase.DISCUSSION, Decision.Phase.AWAITING_PROPOSAL):
            raise DecisionError(_("Only a decision still in discussion can be withdrawn."))
        locked.phase = Decision.Phase.WITHDRAWN
        locked.outcome = Decision.Outcome.WITHDRAWN
        locked.closed_at = now
        locked.save()
        _refresh(decision, locked)
    return decision


def record_statement(decision: Decision, *, by, statement: str, review_on=None) -> Decision:
    """Facilitators write the outcome's statement and review date once the decision is over.

    Only the words around the outcome change: the outcome, the roll and the votes never do.
    """
    if by is None or not by.is_facilitator:
        raise DecisionError(_("Only facilitators can write the outcome statement."))
    with transaction.atomic():
        locked = _locked(decision)
        if locked.phase not in (Decision.Phase.CLOSED, Decision.Phase.WITHDRAWN):
            raise DecisionError(_("The statement is written once the decision is over."))
        locked.outcome_statement = statement.strip()
        locked.review_on = review_on
        locked._history_user = by  # the history names who wrote it, even outside a request
        locked.save(update_fields=["outcome_statement", "review_on"])
        _refresh(decision, locked)
    return decision


def start_new_round(
    decision: Decision, *, by, title: str, proposal: str, context: str = "", now=None
) -> Decision:
    """The author proposes a revised text after a decision that was not adopted."""
    if by is None or decision.author_id != by.pk:
        raise DecisionError(_("Only the author can start a new round."))
    if decision.outcome not in (Decision.Outcome.NOT_ADOPTED, Decision.Outcome.WITHDRAWN):
        raise DecisionError(_("A new round follows a decision that was not adopted."))
    return open_discussion(
        author=by,
        title=title,
        kind=decision.kind,
        context=context,
        proposal=proposal,
        related_commons=list(decision.related_commons.all()),
        previous_round=decision,
        now=now,
    )


# --- Vote -----------------------------------------------------------------------------------------


def _end_discussion(locked: Decision, now) -> None:
    if locked.proposal.strip():
        _open_vote(locked, now)
    else:
        locked.phase = Decision.Phase.AWAITING_PROPOSAL
        locked.save()


def _open_vote(locked: Decision, now) -> None:
    """Freeze the roll (the members at this instant) and open the vote for a full vote length."""
    members = list(User.objects.members(on=timezone.localdate(now)).only("pk"))
    entries = [RollEntry(decision=locked, person=m, voter_ref=str(m.pk)) for m in members]
    RollEntry.objects.bulk_create(entries)
    locked.phase = Decision.Phase.VOTING
    locked.vote_opens_at = now
    locked.vote_closes_at = now + datetime.timedelta(days=locked.vote_days)
    locked.roll_size = len(entries)
    locked.roll_fingerprint = roll_fingerprint(entry.voter_ref for entry in entries)
    locked.save()


def open_vote(decision: Decision, *, now) -> Decision:
    """End the discussion: open the vote if there is a proposal, else wait for one."""
    with transaction.atomic():
        locked = _locked(decision)
        if locked.phase == Decision.Phase.DISCUSSION:
            if now < locked.discussion_ends_at:
                raise DecisionError(
                    _("The discussion is open until %(end)s.")
                    % {"end": format_moment(locked.discussion_ends_at)}
                )
            _end_discussion(locked, now)
        elif locked.phase == Decision.Phase.AWAITING_PROPOSAL:
            if not locked.proposal.strip():
                raise DecisionError(_("The vote opens once the author publishes the proposal."))
            _open_vote(locked, now)
        else:
            raise DecisionError(_("This decision is no longer in discussion."))
        _refresh(decision, locked)
    return decision


def cast_vote(decision: Decision, *, voter, choice: str, reason: str = "", now=None) -> Vote:
    """Record or change a voter's vote. The decision row lock orders votes against the close."""
    now = _now(now)
    reason = reason.strip()
    if choice not in Vote.Choice.values:
        raise DecisionError(_("Choose consent, abstain or object."))
    if choice == Vote.Choice.OBJECT and not reason:
        raise DecisionError(
            _("An objection needs a reason: say what in the proposal you cannot live with.")
        )
    if voter is None or not voter.is_authenticated:
        raise DecisionError(_("Sign in to vote."))
    with transaction.atomic():
        locked = _locked(decision)
        if locked.phase != Decision.Phase.VOTING or now >= locked.vote_closes_at:
            raise DecisionError(_("The vote is closed."))
        entry = RollEntry.objects.filter(decision=locked, person=voter).first()
        if entry is None:
            raise DecisionError(_("You are not on this vote's electoral roll."))
        vote = Vote.objects.filter(roll_entry=entry).first()
        if vote is None:
            vote = Vote(decision=locked, roll_entry=entry)
        vote.choice = choice
        vote.reason = reason
        vote.cast_at = now
        vote._history_user = voter  # the history names the voter, even outside a request
        vote.save()
    return vote


# Asked at each view of an open vote's page: built and compiled once (assembly/prepared.py).
@prepared()
def _votes_by_choice(decision):
    return (
        Vote.objects.filter(decision=decision)
        .order_by()
        .values("choice")
        .annotate(votes=Count("pk"))
        .values_list("choice", "votes")
    )


def tally(decision: Decision) -> dict[str, int]:
    """Counts of the current votes by choice."""
    counts = dict.fromkeys(Vote.Choice.values, 0)
    counts.update(_votes_by_choice(decision=decision.pk))
    return counts


def _tally_field(choice: str) -> str:
    return f"tally_{choice}"


def tally_annotations() -> dict:
    """The same counts as tally(), as annotations of a query of decisions (one subquery per
    choice), so that a page reading the decision reads its tally with it; tally_from() reads
    them."""
    return {
        _tally_field(choice): Coalesce(
            Subquery(
                Vote.objects.filter(decision=OuterRef("pk"), choice=choice)
                .order_by()
                .values("decision")
                .annotate(votes=Count("pk"))
                .values("votes")
            ),
            0,
        )
        for choice in Vote.Choice.values
    }


def tally_from(decision: Decision) -> dict[str, int]:
    """tally(), from a decision annotated with tally_annotations()."""
    return {choice: getattr(decision, _tally_field(choice)) for choice in Vote.Choice.values}


def outcome_for(*, objections: int, votes: int, roll_size: int, quorum_percent: int) -> str:
    """Adopted when no objection stands and turnout reaches the quorum."""
    if objections:
        return Decision.Outcome.NOT_ADOPTED
    if roll_size and votes * 100 < quorum_percent * roll_size:
        return Decision.Outcome.NOT_ADOPTED
    if not roll_size and quorum_percent > 0:
        return Decision.Outcome.NOT_ADOPTED
    return Decision.Outcome.ADOPTED


def close_vote(decision: Decision, *, now) -> Decision:
    """Close a vote whose time is up, compute and store its outcome, run its effects.

    Effects registered for the decision's kind run in this transaction: if one fails, nothing of
    the close is kept and the next run tries again. An effect may change the decision's
    `outcome_statement` (and `review_on`); those changes are saved with the close.
    """
    with transaction.atomic():
        locked = _locked(decision)
        if locked.phase != Decision.Phase.VOTING:
            raise DecisionError(_("This vote is already closed."))
        if now < locked.vote_closes_at:
            raise DecisionError(
                _("The vote is open until %(end)s.") % {"end": format_moment(locked.vote_closes_at)}
            )
        counts = tally(locked)
        votes = sum(counts.values())
        locked.consent_count = counts["consent"]
        locked.abstain_count = counts["abstain"]
        locked.objection_count = counts["object"]
        locked.phase = Decision.Phase.CLOSED
        locked.closed_at = now
        locked.outcome = outcome_for(
            objections=counts["object"],
            votes=votes,
            roll_size=locked.roll_size or 0,
            quorum_percent=locked.quorum_percent,
        )
        locked.save()
        if locked.outcome == Decision.Outcome.ADOPTED:
            statement, review_on = locked.outcome_statement, locked.review_on
            effects.run_effects(locked, now)
            if (locked.outcome_statement, locked.review_on) != (statement, review_on):
                locked.save(update_fields=["outcome_statement", "review_on"])
        _refresh(decision, locked)
    return decision


def advance(decision: Decision, *, now) -> Decision:
    """Move one decision to the phase its dates call for, if its time has come (idempotent)."""
    if decision.phase == Decision.Phase.DISCUSSION and now >= decision.discussion_ends_at:
        try:
            return open_vote(decision, now=now)
        except DecisionError:
            return decision  # another worker moved it first
    if decision.phase == Decision.Phase.VOTING and now >= decision.vote_closes_at:
        try:
            return close_vote(decision, now=now)
        except DecisionError:
            return decision
    return decision


def extend_after_read_only_season(*, now) -> int:
    """Once a read-only season is over, give back the time nobody could use: every discussion and
    vote open when it began (READ_ONLY_SINCE) ends later by the season's length. Runs once per
    season (its row is the claim); returns how many decisions were extended."""
    since = read_only.season_since()
    if since is None or read_only.is_read_only() or now <= since:
        return 0
    with transaction.atomic():
        season, created = ReadOnlySeason.objects.get_or_create(
            since=since, defaults={"ended_at": now}
        )
        if not created:
            return 0
        length = now - since
        extended = 0
        open_then = Decision.objects.select_for_update().filter(
            Q(phase=Decision.Phase.DISCUSSION, discussion_ends_at__gt=since)
            | Q(phase=Decision.Phase.VOTING, vote_closes_at__gt=since)
        )
        for decision in open_then.order_by("pk"):
            if decision.phase == Decision.Phase.DISCUSSION:
                decision.discussion_ends_at += length
            else:
                decision.vote_closes_at += length
            decision.read_only_extension = (decision.read_only_extension or ZERO) + length
            decision.save()
            extended += 1
        season.extended = extended
        season.save(update_fields=["extended"])
    logger.info("read-only season since %s: %s decisions extended by %s", since, extended, length)
    return extended


def advance_due(*, now) -> int:
    """Advance every decision whose time has come; one failing decision does not stop the rest."""
    due = Decision.objects.discussion_over(now) | Decision.objects.vote_over(now)
    moved = 0
    for decision in due.order_by("pk"):
        try:
            advance(decision, now=now)
        except Exception:
            # A failing effect rolled its close back; the next run tries again.
            logger.exception("decision %s could not advance", decision.pk)
        else:
            moved += 1
    return moved


def open_decisions():
    """Decisions people can still take part in, for the home page: deadline soonest first."""
    return (
        Decision.objects.open()
        .select_related("author")
        .annotate(deadline=Coalesce("vote_closes_at", "discussion_ends_at"))
        .order_by("deadline", "pk")
    )


# What home's cards of open decisions show (decisions/templatetags/decisions_home.py).
HOME_CARD_FIELDS = ("title", "kind", "phase", "outcome", "vote_closes_at", "discussion_ends_at")


def open_decisions_for_home():
    """open_decisions() with the columns home's cards show only, and not their authors, whom
    they do not show: every other column cost its conversion into each card's instance."""
    return open_decisions().select_related(None).only(*HOME_CARD_FIELDS)
