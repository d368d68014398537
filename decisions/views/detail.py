"""What the pages of a decision share: loading it with what its page shows, and that page's
context, which the forms re-render with their errors."""

from django.contrib import messages
from django.db.models import FilteredRelation, Prefetch, Q
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
from ..forms import BlankForm, CommentForm, ProposalForm, StatementForm, VoteForm
from ..models import Comment, Decision, Vote, turnout


def _prefetches():
    return (
        "related_commons",
        Prefetch("next_rounds", queryset=Decision.objects.only("pk", "title", "previous_round_id")),
    )


def decision_queryset():
    return Decision.objects.select_related("author", "previous_round").prefetch_related(
        *_prefetches()
    )


def _previous_round_unread() -> list[str]:
    """What the decision's page never reads of its previous round: all but the link to it, its
    primary key and title (templatetags/decision_page.py, decision_facts)."""
    return [
        f"previous_round__{field.name}"
        for field in Decision._meta.concrete_fields
        if field.name not in ("id", "title")
    ]


# What a decision's page reads at each first view after a write, built and compiled once per
# process (assembly/prepared.py); `decision` and `person` are primary keys.
@prepared()
def _decision_for_page(decision, person):
    """The decision with its author and previous round; whether it has related commons, next
    rounds, comments and versions of its proposal (Decision.objects.with_what_its_page_lists);
    its live tally (services.tally_annotations) and, as `my_roll_entry`, this person's entry on
    its roll with their vote, or None: the page asks for the rest only when there is some.

    Of the previous round, only what the page shows: its 28 other columns took the SQL to 4,293
    bytes, past the 4,096 whose parsing psycopg keeps (MAX_CACHED_STATEMENT_LENGTH in
    psycopg/_queries.py), so that it parsed them again at every run (tests/decisions/
    test_queries.py holds the SQL under that length)."""
    return (
        Decision.objects.filter(pk=decision)
        .with_what_its_page_lists()
        .annotate(
            **services.tally_annotations(),
            # One entry at most per person and decision: a LEFT JOIN that adds no row.
            my_roll_entry=FilteredRelation("roll", condition=Q(roll__person=person)),
        )
        .select_related("author", "previous_round", "my_roll_entry__vote")
        .defer(*_previous_round_unread())
    )


def page_decision(request, pk) -> Decision:
    """The decision as its page shows it (`_decision_for_page`), or 404."""
    found = _decision_for_page(decision=pk, person=request.user.pk)
    if not found:
        raise Http404
    return found[0]


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
def _objections(decision):
    return (
        Vote.objects.filter(decision=decision, choice=Vote.Choice.OBJECT)
        .select_related("roll_entry__person")
        .order_by("cast_at", "pk")
    )


def _roll_entry_of(user, decision):
    """permissions.roll_entry_of, as the page's decision brought it."""
    if not is_signed_in(user) or decision.phase not in (
        Decision.Phase.VOTING,
        Decision.Phase.CLOSED,
    ):
        return None
    # Django's select_related sets a FilteredRelation's object only when the join found one.
    return getattr(decision, "my_roll_entry", None)


def detail_context(request, decision, *, vote_form=None, comment_form=None, proposal_form=None):
    """`decision` as page_decision() gives it."""
    now = timezone.now()
    user = request.user
    comments = _comments(decision=decision.pk) if decision.has_comments else []
    for comment in comments:
        comment.decision = decision  # as decision.comments gives them, without asking again
    roll_entry = _roll_entry_of(user, decision)
    my_vote = getattr(roll_entry, "vote", None) if roll_entry else None
    status = permissions.voting_status(user, decision, roll_entry, now)
    results = None
    if decision.phase in (Decision.Phase.VOTING, Decision.Phase.CLOSED):
        results = results_of(decision, live_counts=services.tally_from(decision))
    if status.can_vote and vote_form is None:
        if my_vote:
            vote_form = VoteForm(initial={"choice": my_vote.choice, "reason": my_vote.reason})
        else:
            vote_form = BlankForm(VoteForm)
    can_comment = permissions.can_comment(user, decision)
    can_edit_proposal = permissions.can_edit_proposal(user, decision)
    can_hide = permissions.can_hide_comment(user)
    for comment in comments:
        comment.can_edit = permissions.can_edit_comment(user, comment, now)
    return {
        "decision": decision,
        "related_commons": _related_commons(decision=decision.pk)
        if decision.has_related_commons
        else [],
        "next_rounds": _next_rounds(decision=decision.pk) if decision.has_next_rounds else [],
        "comments": comments if can_hide else [c for c in comments if not c.hidden],
        "hidden_count": sum(c.hidden for c in comments),
        # The page shows the versions from two on: with one text at most there are fewer.
        "versions": decision.proposal_versions() if decision.proposal_texts > 1 else [],
        "status": status,
        "my_vote": my_vote,
        "vote_form": vote_form if status.can_vote else None,
        "results": results,
        "can_comment": can_comment,
        "comment_form": comment_form or (BlankForm(CommentForm) if can_comment else None),
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


def results_of(decision, live_counts=None):
    """Counts, turnout and objections: live during the vote, stored once it is closed.

    `live_counts`, the tally read with the decision (services.tally_from), spares asking for it
    again, and for the objections when it counts none."""
    if decision.phase == Decision.Phase.CLOSED:
        counts = {
            "consent": decision.consent_count,
            "abstain": decision.abstain_count,
            "object": decision.objection_count,
        }
    else:
        counts = live_counts if live_counts is not None else services.tally(decision)
    votes = sum(counts.values())
    anyone_objects = live_counts is None or live_counts["object"] > 0
    return {
        "counts": counts,
        "votes": votes,
        "turnout": turnout(votes, decision.roll_size or 0),
        "objections": _objections(decision=decision.pk) if anyone_objects else [],
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
    decision = page_decision(request, pk)
    return render(
        request,
        "decisions/decision_detail.html",
        {
            "decision": decision,
            "detail": SimpleLazyObject(lambda: detail_context(request, decision)),
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
