"""The agenda and a meeting's board: what is planned, who hosts, the plenary's notes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import chart, permissions, services
from ..forms import (
    NotesForm,
)
from ..models import Meeting, Workshop
from ..notes import latest_revision_id
from .cards import card_context
from .notes import save_notes

PAST_PER_PAGE = 12


@require_GET
def agenda(request):
    upcoming = list(Meeting.objects.upcoming().select_related("venue").with_workshop_count())
    past = Paginator(
        Meeting.objects.past().select_related("venue").with_workshop_count(), PAST_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "workshops/agenda.html",
        {
            "upcoming": upcoming,
            "past": past,
            "participation": chart.participation(),
            "can_manage_meetings": permissions.can_manage_meetings(request.user),
            "can_manage_venues": permissions.can_manage_venues(request.user),
        },
    )


@require_GET
def meeting_detail(request, pk):
    meeting = permissions.meeting_for(request, pk)
    user = request.user
    hosts = list(meeting.hosts.all())
    workshops = list(Workshop.objects.on_board(meeting, user))
    open_for_signups = permissions.can_sign_up(user, meeting)
    cards = [
        card_context(w, user, signed_up=w.signed_up, open_for_signups=open_for_signups)
        for w in workshops
    ]
    can_write_notes = permissions.can_write_plenary_notes(user, meeting)
    is_host = user.is_authenticated and any(host.pk == user.pk for host in hosts)
    return render(
        request,
        "workshops/meeting_detail.html",
        {
            "meeting": meeting,
            "hosts": hosts,
            "is_host": is_host,
            "cards": cards,
            "can_propose": permissions.can_propose_workshop(user, meeting),
            "can_volunteer": permissions.can_volunteer_to_host(user, meeting) and not is_host,
            "can_withdraw": permissions.can_volunteer_to_host(user, meeting),
            "can_write_notes": can_write_notes,
            "can_record_attendance": permissions.can_record_attendance(user),
            "can_manage_meetings": permissions.can_manage_meetings(user),
            "can_cancel": permissions.can_cancel_meeting(user, meeting),
            "can_reinstate": permissions.can_reinstate_meeting(user, meeting),
            "notes_form": NotesForm(
                initial={"notes": meeting.plenary_notes, "revision": latest_revision_id(meeting)}
            )
            if can_write_notes
            else None,
        },
    )


@login_required
@require_POST
def volunteer_to_host(request, pk):
    meeting = permissions.meeting_for(request, pk, Meeting.objects.all())
    if not permissions.can_volunteer_to_host(request.user, meeting):
        messages.error(request, _("This meeting no longer takes hosts."))
        return redirect(meeting)
    if request.POST.get("action") == "withdraw":
        services.withdraw_as_host(meeting, request.user)
        messages.success(request, _("You no longer host this meeting."))
    else:
        services.volunteer_to_host(meeting, request.user)
        messages.success(request, _("Thank you for hosting this meeting!"))
    return redirect(meeting)


@login_required
@require_POST
def plenary_notes(request, pk):
    meeting = permissions.meeting_for(request, pk, Meeting.objects.all())
    if not permissions.can_write_plenary_notes(request.user, meeting):
        raise PermissionDenied
    return save_notes(
        request, meeting, services.write_plenary_notes, _("The plenary notes are saved.")
    )
