"""What the pages of a decision share: loading it with what its page shows, and that page's
context, which the forms re-render with their errors."""

from django.contrib import messages
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from assembly import fragments

from .. import permissions, services
from ..extensions import detail_sections
from ..forms import CommentForm, ProposalForm, StatementForm, VoteForm
from ..models import Decision, Vote, turnout


def _prefetches():
    return (
        "related_commons",
        Prefetch("next_rounds", queryset=Decision.objects.only("pk", "title", "previous_round_id")),
    )


def decision_queryset():
    return Decision.objects.select_related("author", "previous_round").prefetch_related(
        *_prefetches()
    )


def detail_context(request, decision, *, vote_form=None, comment_form=None, proposal_form=None):
    now = timezone.now()
    user = request.user
    comments = list(decision.comments.select_related("author"))
    roll_entry = permissions.roll_entry_of(user, decision)
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
    return {
        "decision": decision,
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
    objections = (
        Vote.objects.filter(decision=decision, choice=Vote.Choice.OBJECT)
        .select_related("roll_entry__person")
        .order_by("cast_at", "pk")
    )
    return {
        "counts": counts,
        "votes": votes,
        "turnout": turnout(votes, decision.roll_size or 0),
        "objections": objections,
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
    decision = permissions.decision_for(
        request, pk, Decision.objects.select_related("author", "previous_round")
    )

    def detail():
        prefetch_related_objects([decision], *_prefetches())
        return detail_context(request, decision)

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
