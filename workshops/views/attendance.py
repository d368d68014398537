"""The check-in sheet: search, tick, walk-ins, undo. Enhanced with htmx, works as plain forms."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assembly.models import User
from assembly.permissions import facilitator_required
from assembly.ratelimits import rate_limited

from .. import services
from ..forms import (
    SearchForm,
    WalkInForm,
)
from ..models import Attendance, Workshop
from ..permissions import meeting_for


def _people_rows(meeting, people):
    """Each person with what they were ticked for at this meeting."""
    ticks: dict[int, list] = {person.pk: [] for person in people}
    for attendance in Attendance.objects.filter(meeting=meeting, person__in=list(ticks)):
        ticks[attendance.person_id].append(attendance.workshop_id)
    return [{"person": person, "ticks": ticks[person.pk]} for person in people]


def _sheet_context(meeting, query):
    workshops = list(Workshop.objects.filter(meeting=meeting).visible().order_by("title"))
    people = list(services.search_people(query)) if query else []
    return {
        "meeting": meeting,
        "workshops": workshops,
        "workshop_titles": {w.pk: w.title for w in workshops},
        "rows": _people_rows(meeting, people),
        "q": query,
    }


@facilitator_required
@require_GET
def attendance_sheet(request, pk):
    meeting = meeting_for(request, pk)
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    context = _sheet_context(meeting, query)
    if request.htmx and request.htmx.target == "attendance-results":
        return render(request, "workshops/_attendance_results.html", context)
    return render(
        request,
        "workshops/attendance.html",
        {**context, "search": search, "walk_in": WalkInForm(), **_present(meeting)},
    )


def _present(meeting):
    present = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("person", "workshop")
        .order_by("-recorded_at", "-pk")
    )
    return {"present": present, "present_count": len({a.person_id for a in present})}


def _tick_target(request, meeting):
    person = get_object_or_404(User, pk=request.POST.get("person") or 0)
    workshop_id = request.POST.get("workshop") or None
    workshop = None
    if workshop_id:
        workshop = get_object_or_404(Workshop, pk=workshop_id, meeting=meeting)
    return person, workshop


def _sheet_redirect(request, meeting):
    url = reverse("meetings:attendance", args=[meeting.pk])
    query = request.POST.get("q", "").strip()
    if query:
        url += "?" + urlencode({"q": query})
    return redirect(url)


def _answer_tick(request, meeting, person, error=None):
    if not request.htmx:
        return _sheet_redirect(request, meeting)
    workshops = list(Workshop.objects.filter(meeting=meeting).visible().order_by("title"))
    row = render_to_string(
        "workshops/_attendance_person.html",
        {
            "meeting": meeting,
            "workshops": workshops,
            "workshop_titles": {w.pk: w.title for w in workshops},
            "row": _people_rows(meeting, [person])[0],
            "q": request.POST.get("q", ""),
            "error": error,
        },
        request=request,
    )
    # The count and list of people present below the search refresh out of band, so the
    # facilitator at the door sees the tick land there too.
    present = render_to_string(
        "workshops/_attendance_present.html",
        {"meeting": meeting, "oob": True, **_present(meeting)},
        request=request,
    )
    return HttpResponse(row + present)


@facilitator_required
@require_POST
def tick_attendance(request, pk):
    meeting = meeting_for(request, pk)
    person, workshop = _tick_target(request, meeting)
    error = None
    try:
        if request.POST.get("action") == "undo":
            services.undo_attendance(meeting, person, workshop)
            if not request.htmx:
                messages.success(request, _("%(name)s is no longer ticked.") % {"name": person})
        else:
            services.record_attendance(meeting, person, request.user, workshop)
            if not request.htmx:
                messages.success(request, _("%(name)s is ticked present.") % {"name": person})
    except services.WorkshopError as refusal:
        error = str(refusal)
        if not request.htmx:
            messages.error(request, error)
    return _answer_tick(request, meeting, person, error)


@facilitator_required
@require_POST
@rate_limited("walk_in")
def walk_in(request, pk):
    meeting = meeting_for(request, pk)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _sheet_redirect(request, meeting)
    try:
        person, registered = services.register_walk_in(
            meeting,
            form.cleaned_data["display_name"],
            request.user,
            email=form.cleaned_data["email"],
        )
    except services.WorkshopError as refusal:
        messages.error(request, str(refusal))
        return _sheet_redirect(request, meeting)
    if registered:
        messages.success(
            request, _("Welcome, %(name)s! Registered and ticked present.") % {"name": person}
        )
    else:
        messages.success(
            request, _("%(name)s was already known and is ticked present.") % {"name": person}
        )
    return _sheet_redirect(request, meeting)
