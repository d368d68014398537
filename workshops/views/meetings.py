"""Meetings and venues, kept by facilitators."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import permissions, services
from ..forms import (
    CancelMeetingForm,
    MeetingForm,
    NewMeetingForm,
    VenueForm,
)
from ..models import Meeting, Venue
from .common import require_facilitator, to_login


def new_meeting(request):
    if not require_facilitator(request):
        return to_login(request)
    form = NewMeetingForm(request.POST or None)
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


def edit_meeting(request, pk):
    if not require_facilitator(request):
        return to_login(request)
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.update_meeting(meeting, **form.cleaned_data)
        except services.WorkshopError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect(meeting)
    return render(request, "workshops/meeting_form.html", {"form": form, "meeting": meeting})


def cancel_meeting(request, pk):
    """A confirmation page asks why; the POST cancels and tells the people concerned."""
    if not require_facilitator(request):
        return to_login(request)
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)
    if not permissions.can_cancel_meeting(request.user, meeting):
        if meeting.is_cancelled:
            messages.info(request, _("This meeting is already cancelled."))
        else:
            messages.error(request, _("This meeting is over: it can no longer be cancelled."))
        return redirect(meeting)
    form = CancelMeetingForm(request.POST or None)
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


@require_POST
def reinstate_meeting(request, pk):
    if not require_facilitator(request):
        return to_login(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    services.reinstate_meeting(meeting)
    messages.success(request, _("The meeting is planned again."))
    return redirect(meeting)


@require_GET
def venue_list(request):
    if not require_facilitator(request):
        return to_login(request)
    venues = list(Venue.objects.annotate(meeting_count=Count("meetings")).order_by("name", "pk"))
    return render(request, "workshops/venue_list.html", {"venues": venues})


def _venue_form_page(request, venue):
    form = VenueForm(request.POST or None, instance=venue)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_venue(venue, **form.venue_fields())
        except services.WorkshopError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The venue “%(name)s” is saved.") % {"name": saved.name})
            return redirect("meetings:venues")
    return render(request, "workshops/venue_form.html", {"form": form, "venue": venue})


def new_venue(request):
    if not require_facilitator(request):
        return to_login(request)
    return _venue_form_page(request, None)


def edit_venue(request, pk):
    if not require_facilitator(request):
        return to_login(request)
    return _venue_form_page(request, get_object_or_404(Venue, pk=pk))
