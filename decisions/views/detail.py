"""What the pages of a decision share: loading it with what its page shows, and that page's
context, which the forms re-render with their errors."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from assembly import fragments
from assembly.permissions import is_signed_in
from assembly.prepared import prepared
from commons_registry.models import Commons

from .. import permissions, services
from ..extensions import detail_sections
from ..forms import CommentForm, ProposalForm, StatementForm, VoteForm
from ..models import Comment, Decision, RollEntry, Vote, turnout


def _prefetches():
    return (
        "related_commons",
        Prefetch("next_rounds", queryset=Decision.objects.only("pk", "title", "previous_round_id")),
    )


def decision_queryset():
    return Decision.objects.select_related("author", "previous_round").prefetch_related(
        *_prefetches()
    )


# What a decision's page reads at each first view after a write, built and compiled once per
# process (assembly/prepared.py); `decision` and `person` are primary keys.
@prepared()
def _decision_with_author(decision):
    return Decision.objects.select_related("author", "previous_round").filter(pk=decision)


@prepared()
def _related_commons(decision):
    # As the prefetch of decision_queryset() asks them, in the commons' own order.
    return Commons.objects.filter(decisions=decision)


@prepared()
def _next_rounds(decision):
    return Decision.objects.only("pk", "title", "previous_round_id").filter(previous_round=decision)


@prepared()
def _comments(decision):
    return Comment.objects.filter(decision=decision).select_related("author")


@prepared()
def _roll_entry(decision, person):
    # As permissions.roll_entry_of asks it (one entry per person and decision).
    return (
        RollEntry.objects.filter(decision=decision, person=person)
        .select_related("vote")
        .order_by("pk")[:1]
    )


@prepared()
def _objections(decision):
    return (
        Vote.objects.filter(decision=decision, choice=Vote.Choice.OBJECT)
        .select_related("roll_entry__person")
        .order_by("cast_at", "pk")
    )


def _roll_entry_of(user, decision):
    """permissions.roll_entry_of, from the prepared query."""
    if not is_signed_in(user) or decision.phase not in (
        Decision.Phase.VOTING,
        Decision.Phase.CLOSED,
    ):
        return None
    found = _roll_entry(decision=decision.pk, person=user.pk)
    return found[0] if found else None


def detail_context(
    request, decision, *, vote_form=None, comment_form=None, proposal_form=None, relations=None
):
    """`relations` are the decision's related commons and next rounds; by default those that
    decision_queryset() prefetched."""
    now = timezone.now()
    user = request.user
    comments = _comments(decision=decision.pk)
    for comment in comments:
        comment.decision = decision  # as decision.comments gives them, without asking again
    roll_entry = _roll_entry_of(user, decision)
    my_vote = getattr(roll_entry, "vote", None) if roll_entry else None
    status = permissions.voting_status(user, decision, roll_entry, now)
    results = None
    if decision.phase in (Decision.Phase.VOTING, Decision.Phase.CLOSED):
        results = results_of(decision)
    if status.can_vote and vote_form is None:
        initial = {"choice": my_vote.choice, "reason": my_vote.reason} if my_vote else None
        vote_form = VoteForm(initial=initial)
    can_comment = permissions.can_comment(user, decision)
    can_edit_proposal = permissions.can_edit_proposal(user, decision)
    can_hide = permissions.can_hide_comment(user)
    for comment in comments:
        comment.can_edit = permissions.can_edit_comment(user, comment, now)
    related_commons, next_rounds = relations or (
        decision.related_commons.all(),
        decision.next_rounds.all(),
    )
    return {
        "decision": decision,
        "related_commons": related_commons,
        "next_rounds": next_rounds,
        "comments": comments if can_hide else [c for c in comments if not c.hidden],
        "hidden_count": sum(c.hidden for c in comments),
        "versions": decision.proposal_versions(),
        "status": status,
        "my_vote": my_vote,
        "vote_form": vote_form if status.can_vote else None,
        "results": results,
        "can_comment": can_comment,
        "comment_form": comment_form or (CommentForm() if can_comment else None),
        "can_edit_proposal": can_edit_proposal,
        "proposal_form": proposal_form
        or (ProposalForm(initial={"text": decision.proposal}) if can_edit_proposal else None),
        "can_hide": can_hide,
        "can_withdraw": permissions.can_withdraw(user, decision),
        "can_start_new_round": permissions.can_start_new_round(user, decision),
        "statement_form": StatementForm(instance=decision)
        if permissions.can_record_statement(user, decision)
        else None,
        "sections": [
            # Each contributed section sees its own context plus the decision.
            render_to_string(
                section["template"], {"decision": decision, **section["context"]}, request=request
            )
            for section in detail_sections(decision, request)
        ],
    }


def results_of(decision):
    """Counts, turnout and objections: live during the vote, stored once it is closed."""
    if decision.phase == Decision.Phase.CLOSED:
        counts = {
            "consent": decision.consent_count,
            "abstain": decision.abstain_count,
            "object": decision.objection_count,
        }
    else:
        counts = services.tally(decision)
    votes = sum(counts.values())
    return {
        "counts": counts,
        "votes": votes,
        "turnout": turnout(votes, decision.roll_size or 0),
        "objections": _objections(decision=decision.pk),
    }


@fragments.part("decision")
def decision_key(context):
    """The page's body is one person's view of one decision (their vote, what they may do)."""
    return (context["decision"].pk, context["user"].pk)


def decision_detail(request, pk):
    # The page's body differs from one person to the next (their vote, what they may do) and
    # with the clock (a vote closes): kept as a fragment per person, content version and minute,
    # and everything it reads is read only when it is rendered, not when it is copied.
    fragments.remember_content_version(request)
    found = _decision_with_author(decision=pk)
    if not found:
        raise Http404
    decision = found[0]

    def detail():
        relations = (_related_commons(decision=decision.pk), _next_rounds(decision=decision.pk))
        return detail_context(request, decision, relations=relations)

    return render(
        request,
        "decisions/decision_detail.html",
        {
            "decision": decision,
            "detail": SimpleLazyObject(detail),
            "minute": fragments.current_minute(),
        },
    )


def decision_minutes(request, pk):
    decision = permissions.decision_for(request, pk, decision_queryset())
    results = results_of(decision) if decision.phase == Decision.Phase.CLOSED else None
    return render(
        request, "decisions/decision_minutes.html", {"decision": decision, "results": results}
    )


def refused(request, decision, error):
    messages.error(request, error.message)
    return redirect(decision)
