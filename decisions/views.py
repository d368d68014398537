"""Pages of the decisions app: the log, a decision, its minutes, and the forms that act on it.

Every view checks its permission through decisions/permissions.py and acts through
decisions/services.py; a refused action comes back as a message a person can read.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assembly.ratelimits import rate_limited

from . import extensions, permissions, services
from .extensions import detail_sections
from .filters import DecisionFilter
from .forms import CommentForm, DiscussionForm, ProposalForm, StatementForm, VoteForm
from .models import Comment, Decision, RollEntry, Vote, turnout
from .services import DecisionError

PAGE_SIZE = 20


def decision_list(request):
    decisions = (
        Decision.objects.select_related("author")
        # A subquery, not a join: the paginator's COUNT(*) then ignores it.
        .annotate(
            live_votes=Coalesce(
                Subquery(
                    Vote.objects.filter(decision=OuterRef("pk"))
                    .order_by()
                    .values("decision")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("-created_at", "-pk")
    )
    filterset = DecisionFilter(request.GET, queryset=decisions)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "decisions/decision_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_open_discussion": permissions.can_open_discussion(request.user),
        },
    )


@login_required
def decision_new(request):
    if not permissions.can_open_discussion(request.user):
        raise PermissionDenied
    elsewhere = extensions.kinds_started_elsewhere()
    form = DiscussionForm(request.POST or None)
    # A charter change needs its proposed full text: it opens from the charter's amendment form.
    form.fields["kind"].choices = [
        choice for choice in form.fields["kind"].choices if choice[0] not in elsewhere
    ]
    if request.method == "POST" and form.is_valid():
        return _open_discussion(request, form)
    started_elsewhere = [(Decision.Kind(kind).label, url) for kind, url in elsewhere.items()]
    return render(
        request,
        "decisions/decision_form.html",
        {"form": form, "previous": None, "started_elsewhere": started_elsewhere},
    )


def _open_discussion(request, form, previous=None):
    data = form.cleaned_data
    try:
        if previous is None:
            decision = services.open_discussion(
                author=request.user,
                title=data["title"],
                kind=data["kind"],
                context=data["context"],
                proposal=data["proposal"],
                related_commons=data["related_commons"],
            )
        else:
            decision = services.start_new_round(
                previous,
                by=request.user,
                title=data["title"],
                context=data["context"],
                proposal=data["proposal"],
            )
    except DecisionError as error:
        form.add_error(None, error.message)
        return render(request, "decisions/decision_form.html", {"form": form, "previous": previous})
    messages.success(
        request,
        _("Your discussion is open until %(end)s.")
        % {"end": services.format_moment(decision.discussion_ends_at)},
    )
    return redirect(decision)


def _decision_queryset():
    return Decision.objects.select_related("author", "previous_round").prefetch_related(
        "related_commons",
        Prefetch("next_rounds", queryset=Decision.objects.only("pk", "title", "previous_round_id")),
    )


def _detail_context(request, decision, *, vote_form=None, comment_form=None, proposal_form=None):
    now = timezone.now()
    user = request.user
    comments = list(decision.comments.select_related("author"))
    roll_entry = None
    if permissions.is_signed_in(user) and decision.phase in (
        Decision.Phase.VOTING,
        Decision.Phase.CLOSED,
    ):
        roll_entry = (
            RollEntry.objects.filter(decision=decision, person=user).select_related("vote").first()
        )
    my_vote = getattr(roll_entry, "vote", None) if roll_entry else None
    status = permissions.voting_status(user, decision, roll_entry, now)
    results = None
    if decision.phase in (Decision.Phase.VOTING, Decision.Phase.CLOSED):
        results = _results(decision)
    if status.can_vote and vote_form is None:
        initial = {"choice": my_vote.choice, "reason": my_vote.reason} if my_vote else None
        vote_form = VoteForm(initial=initial)
    can_comment = permissions.can_comment(user, decision)
    can_edit_proposal = permissions.can_edit_proposal(user, decision)
    is_facilitator = permissions.can_hide_comment(user)
    for comment in comments:
        comment.can_edit = permissions.can_edit_comment(user, comment, now)
    return {
        "decision": decision,
        "comments": comments if is_facilitator else [c for c in comments if not c.hidden],
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
        "can_hide": is_facilitator,
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


def _results(decision):
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


def decision_detail(request, pk):
    decision = get_object_or_404(_decision_queryset(), pk=pk)
    return render(request, "decisions/decision_detail.html", _detail_context(request, decision))


def decision_minutes(request, pk):
    decision = get_object_or_404(_decision_queryset(), pk=pk)
    results = _results(decision) if decision.phase == Decision.Phase.CLOSED else None
    return render(
        request, "decisions/decision_minutes.html", {"decision": decision, "results": results}
    )


def _refused(request, decision, error):
    messages.error(request, error.message)
    return redirect(decision)


@require_POST
@login_required
def vote(request, pk):
    decision = get_object_or_404(_decision_queryset(), pk=pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, decision, vote_form=form)
        return render(request, "decisions/decision_detail.html", context, status=400)
    try:
        services.cast_vote(
            decision,
            voter=request.user,
            choice=form.cleaned_data["choice"],
            reason=form.cleaned_data["reason"],
        )
    except DecisionError as error:
        return _refused(request, decision, error)
    messages.success(request, _("Your vote is recorded. You can change it until the close."))
    return redirect(decision)


@login_required
def proposal(request, pk):
    decision = get_object_or_404(_decision_queryset(), pk=pk)
    if not permissions.is_author(request.user, decision):
        raise PermissionDenied
    form = ProposalForm(request.POST or None, initial={"text": decision.proposal})
    if request.method == "POST" and form.is_valid():
        opened_vote = decision.phase == Decision.Phase.AWAITING_PROPOSAL
        try:
            services.publish_proposal(decision, by=request.user, text=form.cleaned_data["text"])
        except DecisionError as error:
            return _refused(request, decision, error)
        if opened_vote and decision.phase == Decision.Phase.VOTING:
            messages.success(request, _("The proposal is published and the vote is open."))
        else:
            messages.success(request, _("The proposal is saved; its earlier versions are kept."))
        return redirect(decision)
    if not permissions.can_edit_proposal(request.user, decision):
        messages.error(request, _("The proposal can no longer change: the vote has started."))
        return redirect(decision)
    return render(request, "decisions/proposal_form.html", {"decision": decision, "form": form})


@require_POST
@login_required
@rate_limited("comment")
def comment(request, pk):
    decision = get_object_or_404(_decision_queryset(), pk=pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, decision, comment_form=form)
        return render(request, "decisions/decision_detail.html", context, status=400)
    try:
        services.add_comment(decision, author=request.user, text=form.cleaned_data["text"])
    except DecisionError as error:
        return _refused(request, decision, error)
    messages.success(request, _("Your comment is published."))
    return redirect(decision)


@login_required
def comment_edit(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("decision"), pk=pk)
    if not permissions.can_edit_comment(request.user, comment):
        messages.error(
            request,
            _(
                "A comment can be edited only by its author, during the 15 "
                "minutes after it was written."
            ),
        )
        return redirect(comment.decision)
    form = CommentForm(request.POST or None, instance=comment)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(comment, by=request.user, text=form.cleaned_data["text"])
        except DecisionError as error:
            return _refused(request, comment.decision, error)
        messages.success(request, _("Your comment is updated."))
        return redirect(comment.decision)
    return render(request, "decisions/comment_form.html", {"form": form, "comment": comment})


@require_POST
@login_required
def comment_hide(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("decision"), pk=pk)
    if not permissions.can_hide_comment(request.user):
        raise PermissionDenied
    hidden = request.POST.get("hidden", "1") == "1"
    services.hide_comment(comment, by=request.user, hidden=hidden)
    messages.success(
        request, _("The comment is hidden.") if hidden else _("The comment is shown again.")
    )
    return redirect(comment.decision)


@require_POST
@login_required
def withdraw(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    if not permissions.can_withdraw(request.user, decision):
        raise PermissionDenied
    try:
        services.withdraw(decision, by=request.user)
    except DecisionError as error:
        return _refused(request, decision, error)
    messages.success(request, _("The decision is withdrawn."))
    return redirect(decision)


@require_POST
@login_required
def statement(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    if not permissions.can_record_statement(request.user, decision):
        raise PermissionDenied
    form = StatementForm(request.POST, instance=Decision.objects.get(pk=pk))
    if not form.is_valid():
        messages.error(request, _("The statement was not saved: check the review date."))
        return redirect(decision)
    services.record_statement(
        decision,
        by=request.user,
        statement=form.cleaned_data["outcome_statement"],
        review_on=form.cleaned_data["review_on"],
    )
    messages.success(request, _("The outcome statement is saved."))
    return redirect(decision)


@login_required
def new_round(request, pk):
    previous = get_object_or_404(_decision_queryset(), pk=pk)
    if not permissions.can_start_new_round(request.user, previous):
        raise PermissionDenied
    start_url = extensions.start_form_url(previous.kind)
    if start_url:
        return redirect(start_url)
    initial = {
        "title": previous.title,
        "kind": previous.kind,
        "context": previous.context,
        "proposal": previous.proposal,
        "related_commons": list(previous.related_commons.all()),
    }
    form = DiscussionForm(request.POST or None, initial=initial)
    form.fields["kind"].disabled = True
    form.fields["related_commons"].disabled = True
    if request.method == "POST" and form.is_valid():
        return _open_discussion(request, form, previous=previous)
    return render(request, "decisions/decision_form.html", {"form": form, "previous": previous})
