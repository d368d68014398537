"""Who may do what with a decision: small predicates used by views and templates alike.

Each takes the person and the decision (or comment) and looks up what it needs itself; the
loaders answer 404 for what does not exist.
"""

import dataclasses

from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assembly.permissions import is_facilitator, is_signed_in

from .models import Comment, Decision, RollEntry
from .services import COMMENT_EDIT_WINDOW

# No decision is hidden from anyone: the loaders only 404 for what does not exist.


def decision_for(request, pk, queryset=None) -> Decision:
    return get_object_or_404(queryset if queryset is not None else Decision.objects.all(), pk=pk)


def comment_for(request, pk) -> Comment:
    return get_object_or_404(Comment.objects.select_related("decision"), pk=pk)


def people_who_may_see(decision: Decision, people):
    """Among `people`, those who may still read the decision: no decision is hidden, so every
    active account (a deactivated or deleted one reads nothing any more)."""
    return people.filter(is_active=True)


def can_open_discussion(user) -> bool:
    return is_signed_in(user)


def can_comment(user, decision: Decision) -> bool:
    return is_signed_in(user) and decision.is_open_for_comments


def can_edit_comment(user, comment: Comment, now=None) -> bool:
    now = now or timezone.now()
    return (
        is_signed_in(user)
        and comment.author_id == user.pk
        and not comment.hidden
        and now <= comment.created_at + COMMENT_EDIT_WINDOW
    )


def can_hide_comment(user) -> bool:
    return is_facilitator(user)


def is_author(user, decision: Decision) -> bool:
    return is_signed_in(user) and decision.author_id == user.pk


def can_edit_proposal(user, decision: Decision) -> bool:
    return is_author(user, decision) and decision.is_open_for_comments


def can_withdraw(user, decision: Decision) -> bool:
    return (
        is_signed_in(user)
        and (decision.author_id == user.pk or is_facilitator(user))
        and decision.is_open_for_comments
    )


def can_record_statement(user, decision: Decision) -> bool:
    return is_facilitator(user) and decision.phase in (
        Decision.Phase.CLOSED,
        Decision.Phase.WITHDRAWN,
    )


def can_vote(user, decision: Decision) -> bool:
    return voting_status(user, decision).can_vote


def can_start_new_round(user, decision: Decision) -> bool:
    return is_author(user, decision) and decision.outcome in (
        Decision.Outcome.NOT_ADOPTED,
        Decision.Outcome.WITHDRAWN,
    )


@dataclasses.dataclass
class VotingStatus:
    """Whether this person can vote now, and why (or why not) in words they can read."""

    can_vote: bool
    reason: str
    needs_sign_in: bool = False


def _date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def roll_entry_of(user, decision: Decision):
    """This person's entry on the decision's roll (with their vote), or None."""
    if not is_signed_in(user) or decision.phase not in (
        Decision.Phase.VOTING,
        Decision.Phase.CLOSED,
    ):
        return None
    return RollEntry.objects.filter(decision=decision, person=user).select_related("vote").first()


_LOOK_IT_UP = object()


def voting_status(user, decision: Decision, roll_entry=_LOOK_IT_UP, now=None) -> VotingStatus:
    """Whether the person may vote now. The page that already loaded the person's roll entry
    (`roll_entry_of`) passes it in, so that the question costs no second query."""
    now = now or timezone.now()
    if roll_entry is _LOOK_IT_UP:
        roll_entry = roll_entry_of(user, decision)
    P = Decision.Phase
    if decision.phase in (P.DISCUSSION, P.AWAITING_PROPOSAL):
        return VotingStatus(
            False,
            _(
                "The vote has not opened yet. Only members on the roll "
                "frozen when it opens will vote."
            ),
        )
    if decision.phase == P.WITHDRAWN:
        return VotingStatus(False, _("This decision was withdrawn: there is no vote."))
    if decision.phase == P.CLOSED or now >= decision.vote_closes_at:
        return VotingStatus(False, _("The vote is closed."))
    if not is_signed_in(user):
        return VotingStatus(
            False,
            _("Sign in to vote. Only members on the electoral roll can vote."),
            needs_sign_in=True,
        )
    if roll_entry is None:
        return VotingStatus(
            False,
            _(
                "You are not on the roll because you were not a member when the vote opened on "
                "%(opened)s. The roll is frozen at that instant; you can still follow the vote."
            )
            % {"opened": _date(decision.vote_opens_at)},
        )
    return VotingStatus(
        True,
        _("You are on the electoral roll: you can vote, and change your vote, until %(closes)s.")
        % {"closes": _date(decision.vote_closes_at)},
    )
