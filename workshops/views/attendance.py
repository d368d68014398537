"""The check-in sheet: the people expected, search, tick, walk-ins, undo, the workshop's whole
list at once. Enhanced with htmx and, for bad Wi-Fi, a queue on the phone (static/js/door.js and
its service worker); it works as plain forms.

Ticks and walk-ins carry an optional `client_id` made on the phone: sent twice, they count once.
Asked for JSON (the phone's queue), the answers say what happened instead of redirecting.
"""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assembly.models import User
from assembly.permissions import facilitator_required, is_facilitator
from assembly.ratelimits import rate_limited

from .. import services
from ..forms import (
    SearchForm,
    WalkInForm,
)
from ..models import Attendance, Workshop, WorkshopSignup
from ..permissions import can_tick_workshop, meeting_for


def _people_rows(meeting, entries):
    """Each (person, workshops signed up to) with what they were ticked for at this meeting."""
    ticks: dict[int, list] = {person.pk: [] for person, _signed_up in entries}
    for attendance in Attendance.objects.filter(meeting=meeting, person__in=list(ticks)):
        ticks[attendance.person_id].append(attendance.workshop_id)
    return [
        {"person": person, "signed_up": signed_up, "ticks": ticks[person.pk]}
        for person, signed_up in entries
    ]


def _with_signups(meeting, people):
    """The people found, each with the workshops of this meeting they signed up to."""
    signed_up: dict[int, list] = {person.pk: [] for person in people}
    for signup in WorkshopSignup.objects.filter(
        workshop__meeting=meeting, workshop__hidden=False, person__in=list(signed_up)
    ).select_related("workshop"):
        signed_up[signup.person_id].append(signup.workshop)
    return [(person, signed_up[person.pk]) for person in people]


def _sheet_context(meeting, query):
    workshops = list(Workshop.objects.filter(meeting=meeting).visible().order_by("title"))
    if query:
        entries = _with_signups(meeting, list(services.search_people(query)))
    else:
        entries = services.door_list(meeting)
    return {
        "meeting": meeting,
        "workshops": workshops,
        "workshop_titles": {w.pk: w.title for w in workshops},
        "rows": _people_rows(meeting, entries),
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
        {
            **context,
            "search": search,
            "walk_in": WalkInForm(workshops=context["workshops"]),
            **_present(meeting),
        },
    )


def _present(meeting):
    present = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("person", "workshop")
        .order_by("-recorded_at", "-pk")
    )
    return {"present": present, "present_count": len({a.person_id for a in present})}


def _client_id(request):
    try:
        return uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return None


def _wants_json(request) -> bool:
    return request.headers.get("Accept") == "application/json"


def _tick_target(request, meeting):
    person = get_object_or_404(User, pk=request.POST.get("person") or 0)
    workshop_id = request.POST.get("workshop") or None
    workshop = None
    if workshop_id:
        workshop = get_object_or_404(
            Workshop.objects.select_related("meeting"), pk=workshop_id, meeting=meeting
        )
    return person, workshop


def _check_may_tick(request, workshop, person):
    """Facilitators tick anyone; a workshop's hosts only its signed-up people, at it, that day."""
    if is_facilitator(request.user):
        return
    if workshop is None or not can_tick_workshop(request.user, workshop):
        raise PermissionDenied
    if workshop.signup_of(person) is None:
        raise PermissionDenied


def _sheet_redirect(request, meeting):
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
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
            "row": _people_rows(meeting, _with_signups(meeting, [person]))[0],
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


def _queued_answer(status, message, http_status=200):
    return JsonResponse({"status": status, "message": message}, status=http_status)


@login_required
@require_POST
def tick_attendance(request, pk):
    meeting = meeting_for(request, pk)
    person, workshop = _tick_target(request, meeting)
    _check_may_tick(request, workshop, person)
    error = None
    try:
        if request.POST.get("action") == "undo":
            services.undo_attendance(meeting, person, workshop)
            if not request.htmx:
                messages.success(request, _("%(name)s is no longer ticked.") % {"name": person})
        else:
            _attendance, created = services.record_attendance(
                meeting, person, request.user, workshop, client_id=_client_id(request)
            )
            if _wants_json(request):
                if created:
                    return _queued_answer("recorded", _("Recorded."))
                return _queued_answer("already", _("Already recorded."))
            if not request.htmx:
                messages.success(request, _("%(name)s is ticked present.") % {"name": person})
    except services.WorkshopError as refusal:
        error = str(refusal)
        if _wants_json(request):
            return _queued_answer("refused", error, 409)
        if not request.htmx:
            messages.error(request, error)
    return _answer_tick(request, meeting, person, error)


@facilitator_required
@require_POST
@rate_limited("walk_in")
def walk_in(request, pk):
    meeting = meeting_for(request, pk)
    workshops = Workshop.objects.filter(meeting=meeting).visible().select_related("meeting")
    form = WalkInForm(request.POST, workshops=workshops)
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        if _wants_json(request):
            return _queued_answer("refused", " ".join(errors), 409)
        for error in errors:
            messages.error(request, error)
        return _sheet_redirect(request, meeting)
    try:
        person, registered = services.register_walk_in(
            meeting,
            form.cleaned_data["display_name"],
            request.user,
            email=form.cleaned_data["email"],
            workshop=form.cleaned_data.get("workshop"),
            client_id=_client_id(request),
        )
    except services.WorkshopError as refusal:
        if _wants_json(request):
            return _queued_answer("refused", str(refusal), 409)
        messages.error(request, str(refusal))
        return _sheet_redirect(request, meeting)
    if registered:
        message = _("Welcome, %(name)s! Registered and ticked present.") % {"name": person}
    else:
        message = _("%(name)s was already known and is ticked present.") % {"name": person}
    if _wants_json(request):
        return _queued_answer("recorded" if registered else "already", message)
    messages.success(request, message)
    return _sheet_redirect(request, meeting)


@facilitator_required
@require_http_methods(["GET", "POST"])
def tick_workshop_signups(request, pk, workshop_pk):
    """'Tick everyone signed up to this workshop': a confirmation page, then the ticks."""
    meeting = meeting_for(request, pk)
    workshop = get_object_or_404(
        Workshop.objects.visible().select_related("meeting"), pk=workshop_pk, meeting=meeting
    )
    if request.method == "POST":
        try:
            new = services.record_workshop_signups(workshop, request.user)
        except services.WorkshopError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s more person ticked present at “%(title)s”.",
                    "%(count)s more people ticked present at “%(title)s”.",
                    new,
                )
                % {"count": new, "title": workshop.title},
            )
        return redirect("meetings:attendance", pk=meeting.pk)
    people = list(
        User.objects.filter(workshop_signups__workshop=workshop, is_active=True).order_by(
            "display_name", "pk"
        )
    )
    return render(
        request,
        "workshops/attendance_tick_all.html",
        {"meeting": meeting, "workshop": workshop, "people": people},
    )


@require_GET
@cache_control(no_cache=True)
def attendance_worker(request):
    """The service worker, served here so that its scope covers every meeting's sheet."""
    path = finders.find("js/door-worker.js") or ""
    with open(path, encoding="utf-8") as script:
        body = script.read()
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("meetings:index")
    return response
