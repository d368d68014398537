"""Date polls (/polls/): any signed-in person creates one; anyone with its link answers under a
name, without an account; its creator closes it and turns it into a meeting in one click."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assembly.permissions import is_signed_in

from . import permissions, services
from .forms import AnswerForm, PollForm
from .models import Gathering, Poll, PollChoice


@login_required
def poll_list(request):
    initial = {}
    gathering = Gathering.objects.filter(slug=request.GET.get("gathering", "")[:80]).first()
    if gathering is not None:
        initial["gathering"] = gathering
    form = PollForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.create_poll(
                by=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                dates=form.cleaned_data["dates"],
                gathering=form.cleaned_data["gathering"],
            )
        except services.GatheringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The poll is ready: share its address."))
            return redirect(poll)
    return render(
        request,
        "gatherings/polls.html",
        {"form": form, "polls": list(services.polls_of(request.user).order_by("-created_at"))},
    )


def poll_detail(request, pk):
    poll = get_object_or_404(Poll.objects.select_related("created_by", "meeting"), pk=pk)
    dates = list(poll.dates.all())
    answers = list(poll.answers.prefetch_related("choices").order_by("answered_at", "pk"))
    initial = {"name": request.user.display_name} if is_signed_in(request.user) else {}
    form = AnswerForm(
        request.POST if request.method == "POST" else None, dates=dates, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_poll(
                poll,
                name=form.cleaned_data["name"],
                choices=form.choices(),
                person=request.user if is_signed_in(request.user) else None,
            )
        except services.GatheringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your answer is saved. Thank you!"))
            return redirect(poll)
    choices = [(c.date_id, c.value) for answer in answers for c in answer.choices.all()]
    rows = []
    for answer in answers:
        by_date = {c.date_id: c for c in answer.choices.all()}
        rows.append({"name": answer.name, "cells": [by_date.get(d.pk) for d in dates]})
    return render(
        request,
        "gatherings/poll.html",
        {
            "poll": poll,
            "dates": dates,
            "rows": rows,
            "tally": services.tally(poll, dates, choices),
            "form": None if poll.is_closed else form,
            "values": PollChoice.Value,
            "can_close": permissions.can_close_poll(request.user, poll),
            "share_url": request.build_absolute_uri(poll.get_absolute_url()),
        },
    )


@login_required
@require_POST
def poll_close(request, pk):
    poll = get_object_or_404(Poll, pk=pk)
    if not permissions.can_close_poll(request.user, poll):
        raise PermissionDenied
    services.close_poll(poll)
    messages.success(request, _("The poll is closed."))
    return redirect(poll)


@login_required
@require_POST
def poll_meeting(request, pk):
    poll = get_object_or_404(Poll, pk=pk)
    if not permissions.can_close_poll(request.user, poll):
        raise PermissionDenied
    date = poll.dates.filter(pk=request.POST.get("date", "")[:12] or 0).first()
    try:
        meeting = services.make_meeting(poll, date=date)
    except services.GatheringError as error:
        messages.error(request, error.message)
        return redirect(poll)
    messages.success(request, _("The meeting is on the agenda."))
    return redirect(meeting)
