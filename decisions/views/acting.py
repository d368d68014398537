"""What people do on a decision's page: comment, write the proposal, vote, withdraw, and the
facilitators' moderation and outcome statement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assembly.forms import reasons
from assembly.permissions import facilitator_required
from assembly.ratelimits import rate_limited

from .. import permissions, services
from ..forms import CommentForm, ProposalForm, StatementForm, VoteForm
from ..models import Decision
from ..services import DecisionError
from .detail import decision_queryset, detail_context, page_decision, refused


@require_POST
@login_required
def vote(request, pk):
    decision = page_decision(request, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        context = detail_context(request, decision, vote_form=form)
        return render(request, "decisions/decision_detail.html", context, status=400)
    try:
        services.cast_vote(
            decision,
            voter=request.user,
            choice=form.cleaned_data["choice"],
            reason=form.cleaned_data["reason"],
        )
    except DecisionError as error:
        return refused(request, decision, error)
    messages.success(request, _("Your vote is recorded. You can change it until the close."))
    return redirect(decision)


@login_required
def proposal(request, pk):
    decision = permissions.decision_for(request, pk, decision_queryset())
    if not permissions.is_author(request.user, decision):
        raise PermissionDenied
    form = ProposalForm(
        request.POST if request.method == "POST" else None, initial={"text": decision.proposal}
    )
    if request.method == "POST" and form.is_valid():
        opened_vote = decision.phase == Decision.Phase.AWAITING_PROPOSAL
        try:
            services.publish_proposal(decision, by=request.user, text=form.cleaned_data["text"])
        except DecisionError as error:
            return refused(request, decision, error)
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
    decision = page_decision(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        context = detail_context(request, decision, comment_form=form)
        return render(request, "decisions/decision_detail.html", context, status=400)
    try:
        services.add_comment(decision, author=request.user, text=form.cleaned_data["text"])
    except DecisionError as error:
        return refused(request, decision, error)
    messages.success(request, _("Your comment is published."))
    return redirect(decision)


@login_required
def comment_edit(request, pk):
    comment = permissions.comment_for(request, pk)
    if not permissions.can_edit_comment(request.user, comment):
        messages.error(
            request,
            _(
                "A comment can be edited only by its author, during the 15 "
                "minutes after it was written."
            ),
        )
        return redirect(comment.decision)
    form = CommentForm(request.POST if request.method == "POST" else None, instance=comment)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(comment, by=request.user, text=form.cleaned_data["text"])
        except DecisionError as error:
            return refused(request, comment.decision, error)
        messages.success(request, _("Your comment is updated."))
        return redirect(comment.decision)
    return render(request, "decisions/comment_form.html", {"form": form, "comment": comment})


@facilitator_required
@require_POST
def comment_hide(request, pk):
    comment = permissions.comment_for(request, pk)
    hidden = request.POST.get("hidden", "1") == "1"
    services.hide_comment(comment, by=request.user, hidden=hidden)
    messages.success(
        request, _("The comment is hidden.") if hidden else _("The comment is shown again.")
    )
    return redirect(comment.decision)


@require_POST
@login_required
def withdraw(request, pk):
    decision = permissions.decision_for(request, pk)
    if not permissions.can_withdraw(request.user, decision):
        raise PermissionDenied
    try:
        services.withdraw(decision, by=request.user)
    except DecisionError as error:
        return refused(request, decision, error)
    messages.success(request, _("The decision is withdrawn."))
    return redirect(decision)


@require_POST
@login_required
def statement(request, pk):
    decision = permissions.decision_for(request, pk)
    if not permissions.can_record_statement(request.user, decision):
        raise PermissionDenied
    form = StatementForm(request.POST, instance=Decision.objects.get(pk=pk))
    if not form.is_valid():
        messages.error(
            request, _("The statement was not saved. %(reasons)s") % {"reasons": reasons(form)}
        )
        return redirect(decision)
    services.record_statement(
        decision,
        by=request.user,
        statement=form.cleaned_data["outcome_statement"],
        review_on=form.cleaned_data["review_on"],
    )
    messages.success(request, _("The outcome statement is saved."))
    return redirect(decision)
