"""Meetings and venues, kept by facilitators."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assembly.permissions import facilitator_required

from .. import permissions, services
from ..forms import (
    CancelMeetingForm,
    MeetingForm,
    NewMeetingForm,
    VenueForm,
)
from ..models import Meeting, Venue


@facilitator_required
def new_meeting(request):
    form = NewMeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(**form.cleaned_data)
        except services.WorkshopError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, _("The meeting “%(title)s” is on the agenda.") % {"title": meeting.title}
            )
            return redirect(meeting)
    return render(request, "workshops/meeting_form.html", {"form": form, "meeting": None})


@facilitator_required
def edit_meeting(request, pk):
    meeting = permissions.meeting_for(request, pk)
    form = MeetingForm(request.POST if request.method == "POST" else None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.update_meeting(meeting, **form.cleaned_data)
        except services.WorkshopError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect(meeting)
    return render(request, "workshops/meeting_form.html", {"form": form, "meeting": meeting})


@facilitator_required
def cancel_meeting(request, pk):
    """A confirmation page asks why; the POST cancels and tells the people concerned."""
    meeting = permissions.meeting_for(request, pk)
    if not permissions.can_cancel_meeting(request.user, meeting):
        if meeting.is_cancelled:
            messages.info(request, _("This meeting is already cancelled."))
        else:
            messages.error(request, _("This meeting is over: it can no longer be cancelled."))
        return redirect(meeting)
    form = CancelMeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_meeting(meeting, form.cleaned_data["reason"])
        except services.WorkshopError as refusal:
            form.add_error("reason", str(refusal))
        else:
            messages.success(
                request,
                _("The meeting is cancelled. Its hosts and the people signed up will be told."),
            )
            return redirect(meeting)
    return render(request, "workshops/meeting_cancel.html", {"form": form, "meeting": meeting})


@facilitator_required
@require_POST
def reinstate_meeting(request, pk):
    meeting = permissions.meeting_for(request, pk, Meeting.objects.all())
    services.reinstate_meeting(meeting)
    messages.success(request, _("The meeting is planned again."))
    return redirect(meeting)


@facilitator_required
@require_GET
def venue_list(request):
    venues = list(Venue.objects.annotate(meeting_count=Count("meetings")).order_by("name", "pk"))
    return render(request, "workshops/venue_list.html", {"venues": venues})


def _venue_form_page(request, venue):
    form = VenueForm(request.POST if request.method == "POST" else None, instance=venue)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_venue(venue, by=request.user, **form.venue_fields())
        except services.WorkshopError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The venue “%(name)s” is saved.") % {"name": saved.name})
            return redirect("meetings:venues")
    return render(request, "workshops/venue_form.html", {"form": form, "venue": venue})


@facilitator_required
def new_venue(request):
    return _venue_form_page(request, None)


@facilitator_required
def edit_venue(request, pk):
    return _venue_form_page(request, get_object_or_404(Venue, pk=pk))
