"""A workshop's page: proposing, editing, hiding, notes and sign-ups."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assembly.ratelimits import rate_limited

from .. import permissions, services
from ..forms import (
    NotesForm,
    WorkshopForm,
)
from ..models import Attendance, Meeting, Workshop, WorkshopSignup
from .cards import card_context
from .common import back_to


def _workshop_for(request, pk):
    workshop = get_object_or_404(
        Workshop.objects.select_related(
            "meeting", "meeting__venue", "proposed_by"
        ).prefetch_related("facilitators", "related_commons"),
        pk=pk,
    )
    if not permissions.can_see_workshop(request.user, workshop):
        raise Http404
    return workshop


@require_GET
def workshop_detail(request, pk):
    workshop = _workshop_for(request, pk)
    user = request.user
    workshop.signup_count = workshop.signups.count()
    signed_up = attended = False
    if user.is_authenticated:
        signed_up = WorkshopSignup.objects.filter(workshop=workshop, person=user).exists()
        if workshop.meeting.has_started():
            attended = Attendance.objects.filter(meeting=workshop.meeting, person=user).exists()
    card = card_context(
        workshop,
        user,
        signed_up=signed_up,
        open_for_signups=permissions.can_sign_up(user, workshop.meeting),
    )
    can_write_notes = permissions.can_write_notes(
        user, workshop.meeting, attended=attended, facilitates_workshop=card["can_edit"]
    )
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            **card,
            "meeting": workshop.meeting,
            "can_write_notes": can_write_notes,
            "notes_form": NotesForm(initial={"notes": workshop.notes}),
        },
    )


@login_required
@rate_limited("workshop_proposal")
def propose_workshop(request):
    meeting_id = request.GET.get("meeting") or request.POST.get("meeting")
    if not str(meeting_id or "").isdigit():
        raise Http404
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=meeting_id)
    if not permissions.can_propose_workshop(request.user, meeting):
        messages.error(request, _("Workshops can only be proposed for upcoming meetings."))
        return redirect(meeting)
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.propose_workshop(
                meeting,
                request.user,
                related_commons=form.cleaned_data["related_commons"],
                **form.workshop_fields(),
            )
        except services.WorkshopError as error:
            messages.error(request, str(error))
            return redirect(meeting)
        messages.success(
            request, _("Your workshop “%(title)s” is on the board.") % {"title": workshop.title}
        )
        return redirect(meeting)
    return render(
        request,
        "workshops/workshop_form.html",
        {"form": form, "meeting": meeting, "workshop": None},
    )


@login_required
def edit_workshop(request, pk):
    workshop = _workshop_for(request, pk)
    if not permissions.can_edit_workshop(request.user, workshop):
        raise PermissionDenied
    form = WorkshopForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        services.update_workshop(
            workshop, related_commons=form.cleaned_data["related_commons"], **form.workshop_fields()
        )
        messages.success(request, _("The workshop is saved."))
        return redirect(workshop)
    return render(
        request,
        "workshops/workshop_form.html",
        {"form": form, "meeting": workshop.meeting, "workshop": workshop},
    )


@login_required
@require_POST
def hide_workshop(request, pk):
    workshop = get_object_or_404(Workshop.objects.select_related("meeting"), pk=pk)
    if not permissions.can_hide_workshop(request.user):
        raise PermissionDenied
    hidden = request.POST.get("hidden") != "0"
    services.set_workshop_hidden(workshop, hidden)
    messages.success(
        request,
        _("The workshop is hidden from the public.")
        if hidden
        else _("The workshop is visible again."),
    )
    return redirect(workshop.meeting)


@login_required
@require_POST
def workshop_notes(request, pk):
    workshop = _workshop_for(request, pk)
    user = request.user
    allowed = permissions.can_write_notes(
        user,
        workshop.meeting,
        attended=Attendance.objects.filter(meeting=workshop.meeting, person=user).exists(),
        facilitates_workshop=permissions.facilitates(user, workshop),
    )
    if not allowed:
        raise PermissionDenied
    form = NotesForm(request.POST)
    if form.is_valid():
        services.write_workshop_notes(workshop, form.cleaned_data["notes"])
        messages.success(request, _("The workshop notes are saved."))
    return redirect(workshop)


@require_POST
def sign_up(request, pk):
    """ "I'm in" / "I'm out": an htmx request gets the card back, a plain form a redirect."""
    if not request.user.is_authenticated:
        login = f"{reverse('account_login')}?next={reverse('workshops:detail', args=[pk])}"
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login
            return response
        return redirect(login)
    workshop = _workshop_for(request, pk)
    error = None
    try:
        if request.POST.get("action") == "out":
            services.withdraw(workshop, request.user)
            done = _("You are out of “%(title)s”.")
        else:
            services.sign_up(workshop, request.user)
            done = _("You are in “%(title)s”.")
        done %= {"title": workshop.title}
    except services.WorkshopError as refusal:
        error, done = str(refusal), None
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, done)
        return back_to(request, workshop.meeting.get_absolute_url())
    workshop.signup_count = workshop.signups.count()
    signed_up = WorkshopSignup.objects.filter(workshop=workshop, person=request.user).exists()
    context = card_context(
        workshop,
        request.user,
        signed_up=signed_up,
        open_for_signups=permissions.can_sign_up(request.user, workshop.meeting),
    )
    return render(
        request, "workshops/_workshop_card.html", {**context, "error": error, "done": done}
    )
