"""A workshop's page: proposing, editing, hiding, notes and sign-ups."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assembly.context_processors import cached_configuration
from assembly.permissions import facilitator_required
from assembly.ratelimits import rate_limited

from .. import extensions, permissions, services, structured_data
from ..forms import (
    NotesForm,
    WorkshopForm,
)
from ..models import Attendance, Workshop
from ..notes import latest_revision_id
from ..templatetags.workshop_cards import Words, render_card
from .cards import card_context
from .common import back_to
from .notes import save_notes


def _card(request, workshop):
    workshop.signup_count = workshop.signups.count()
    return card_context(
        workshop,
        request.user,
        signed_up=workshop.signup_of(request.user) is not None,
        open_for_signups=permissions.can_sign_up(request.user, workshop.meeting),
    )


@require_GET
def workshop_detail(request, pk):
    workshop = permissions.workshop_for(request, pk)
    can_write_notes = permissions.can_write_notes(request.user, workshop)
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            "workshop": workshop,
            "card": _card(request, workshop),
            "meeting": workshop.meeting,
            "structured_data": structured_data.workshop_event(
                workshop, request.build_absolute_uri, cached_configuration(request)
            ),
            "can_write_notes": can_write_notes,
            "notes_form": NotesForm(
                initial={"notes": workshop.notes, "revision": latest_revision_id(workshop)}
            )
            if can_write_notes
            else None,
            "sections": [
                render_to_string(
                    section["template"],
                    {"workshop": workshop, **section["context"]},
                    request=request,
                )
                for section in extensions.detail_sections(workshop, request)
            ],
            "participants": _participants_to_tick(request.user, workshop),
        },
    )


def _participants_to_tick(person, workshop):
    """On the meeting's day, its hosts tick the people signed up to their workshop (one query:
    each sign-up with its person and whether they are ticked); facilitators do it on the
    attendance sheet."""
    if not (
        permissions.runs_workshop(person, workshop)
        and permissions.can_tick_workshop(person, workshop)
    ):
        return None
    ticked = Attendance.objects.filter(workshop=workshop, person=OuterRef("person"))
    signups = (
        workshop.signups.select_related("person")
        .annotate(ticked=Exists(ticked))
        .order_by("person__display_name")
    )
    return [(signup.person, signup.ticked) for signup in signups]


@login_required
@rate_limited("workshop_proposal")
def propose_workshop(request):
    meeting_id = request.GET.get("meeting") or request.POST.get("meeting")
    if not str(meeting_id or "").isdigit():
        raise Http404
    meeting = permissions.meeting_for(request, meeting_id)
    if not permissions.can_propose_workshop(request.user, meeting):
        messages.error(request, _("Workshops can only be proposed for upcoming meetings."))
        return redirect(meeting)
    form = WorkshopForm(request.POST if request.method == "POST" else None)
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
    workshop = permissions.workshop_for(request, pk)
    if not permissions.can_edit_workshop(request.user, workshop):
        raise PermissionDenied
    form = WorkshopForm(request.POST if request.method == "POST" else None, instance=workshop)
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


@facilitator_required
@require_POST
def hide_workshop(request, pk):
    workshop = permissions.workshop_for(request, pk, Workshop.objects.select_related("meeting"))
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
    workshop = permissions.workshop_for(request, pk)
    if not permissions.can_write_notes(request.user, workshop):
        raise PermissionDenied
    return save_notes(
        request, workshop, services.write_workshop_notes, _("The workshop notes are saved.")
    )


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
    workshop = permissions.workshop_for(request, pk)
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
    card = {**_card(request, workshop), "error": error, "done": done}
    # The token as a template's context has it: read only if the card shows a form.
    token = csrf(request)["csrf_token"]
    return HttpResponse(render_card(card, words=Words(), csrf_token=token))
