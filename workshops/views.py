"""Pages of meetings and workshops: parse the request, check permission, call a service, answer.

Sign-ups and the attendance sheet are enhanced with htmx (partials) and work as plain forms too.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assembly.models import User, new_calendar_token

from . import chart, deliveries, permissions, services
from .forms import (
    CancelMeetingForm,
    MeetingForm,
    NewMeetingForm,
    NotesForm,
    SearchForm,
    VenueForm,
    WalkInForm,
    WorkshopForm,
)
from .ical import build_calendar, feed_queryset
from .models import Attendance, Delivery, Meeting, Venue, Workshop, WorkshopSignup

PAST_PER_PAGE = 12


def _back(request, fallback: str):
    """Where a plain form came from, when it is ours; otherwise the fallback."""
    target = request.POST.get("next") or request.headers.get("referer", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _require_facilitator(request):
    if not request.user.is_authenticated:
        return False
    if not permissions.is_facilitator(request.user):
        raise PermissionDenied
    return True


def _to_login(request):
    return redirect(f"{reverse('account_login')}?next={request.path}")


# --- Agenda and board ----------------------------------------------------------------------------


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


def _board_workshops(meeting, user):
    return list(
        Workshop.objects.filter(meeting=meeting)
        .visible_to(user)
        .by_signups()
        .select_related("proposed_by")
        .prefetch_related("facilitators", "related_commons")
    )


def _card_context(workshop, user, *, signed_up: bool, open_for_signups: bool):
    facilitator_ids = {person.pk for person in workshop.facilitators.all()}
    is_full = workshop.capacity is not None and workshop.signup_count >= workshop.capacity
    return {
        "workshop": workshop,
        "signed_up": signed_up,
        "is_full": is_full,
        "can_sign_up": open_for_signups and not workshop.hidden,
        "can_edit": permissions.can_edit_workshop(user, workshop, facilitator_ids),
        "can_hide": permissions.can_hide_workshop(user),
    }


@require_GET
def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)
    user = request.user
    hosts = list(meeting.hosts.all())
    workshops = _board_workshops(meeting, user)
    my_signups, attended = set(), False
    if user.is_authenticated:
        my_signups = set(
            WorkshopSignup.objects.filter(workshop__meeting=meeting, person=user).values_list(
                "workshop_id", flat=True
            )
        )
        if meeting.has_started():
            attended = Attendance.objects.filter(meeting=meeting, person=user).exists()
    open_for_signups = permissions.can_sign_up(user, meeting)
    cards = [
        _card_context(w, user, signed_up=w.pk in my_signups, open_for_signups=open_for_signups)
        for w in workshops
    ]
    is_host = user.is_authenticated and any(host.pk == user.pk for host in hosts)
    facilitates_any = any(card["can_edit"] for card in cards)
    can_write_notes = permissions.can_write_notes(
        user, meeting, attended=attended, hosts=is_host, facilitates_workshop=facilitates_any
    )
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
            "notes_form": NotesForm(initial={"notes": meeting.plenary_notes}),
        },
    )


@login_required
@require_POST
def volunteer_to_host(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
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
    meeting = get_object_or_404(Meeting, pk=pk)
    user = request.user
    allowed = permissions.can_write_notes(
        user,
        meeting,
        attended=Attendance.objects.filter(meeting=meeting, person=user).exists(),
        hosts=meeting.hosts.filter(pk=user.pk).exists(),
    )
    if not allowed:
        raise PermissionDenied
    form = NotesForm(request.POST)
    if form.is_valid():
        services.write_plenary_notes(meeting, form.cleaned_data["notes"])
        messages.success(request, _("The plenary notes are saved."))
    return redirect(meeting)


# --- Meetings and venues, kept by facilitators ---------------------------------------------------


def new_meeting(request):
    if not _require_facilitator(request):
        return _to_login(request)
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
    if not _require_facilitator(request):
        return _to_login(request)
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
    if not _require_facilitator(request):
        return _to_login(request)
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
    if not _require_facilitator(request):
        return _to_login(request)
    meeting = get_object_or_404(Meeting, pk=pk)
    services.reinstate_meeting(meeting)
    messages.success(request, _("The meeting is planned again."))
    return redirect(meeting)


@require_GET
def venue_list(request):
    if not _require_facilitator(request):
        return _to_login(request)
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
    if not _require_facilitator(request):
        return _to_login(request)
    return _venue_form_page(request, None)


def edit_venue(request, pk):
    if not _require_facilitator(request):
        return _to_login(request)
    return _venue_form_page(request, get_object_or_404(Venue, pk=pk))


# --- Workshops -----------------------------------------------------------------------------------


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
    card = _card_context(
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
        return _back(request, workshop.meeting.get_absolute_url())
    workshop.signup_count = workshop.signups.count()
    signed_up = WorkshopSignup.objects.filter(workshop=workshop, person=request.user).exists()
    context = _card_context(
        workshop,
        request.user,
        signed_up=signed_up,
        open_for_signups=permissions.can_sign_up(request.user, workshop.meeting),
    )
    return render(
        request, "workshops/_workshop_card.html", {**context, "error": error, "done": done}
    )


# --- Attendance sheet ----------------------------------------------------------------------------


def _attendance_meeting(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)
    return meeting


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


@require_GET
def attendance_sheet(request, pk):
    if not _require_facilitator(request):
        return redirect(f"{reverse('account_login')}?next={request.path}")
    meeting = _attendance_meeting(request, pk)
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


@require_POST
def tick_attendance(request, pk):
    if not _require_facilitator(request):
        raise PermissionDenied
    meeting = _attendance_meeting(request, pk)
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


@require_POST
def walk_in(request, pk):
    if not _require_facilitator(request):
        raise PermissionDenied
    meeting = _attendance_meeting(request, pk)
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


# --- Deliveries ----------------------------------------------------------------------------------


@require_GET
def delivery_list(request):
    if not _require_facilitator(request):
        return redirect(f"{reverse('account_login')}?next={request.path}")
    rows = list(
        Delivery.objects.needing_attention().select_related("person").order_by("-created_at")[:200]
    )
    return render(request, "workshops/deliveries.html", {"deliveries": rows})


@require_POST
def retry_delivery(request, pk):
    if not _require_facilitator(request):
        raise PermissionDenied
    delivery = get_object_or_404(Delivery, pk=pk)
    deliveries.retry(delivery)
    messages.success(request, _("The e-mail will be sent again with the next batch."))
    return redirect("meetings:deliveries")


# --- iCalendar -----------------------------------------------------------------------------------


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def calendar_feed(request):
    meetings = feed_queryset(Meeting.objects.upcoming())
    return _ics_response(
        build_calendar(meetings, str(_("Assembly of the Commons"))), "assemblee.ics"
    )


@require_GET
def meeting_ics(request, pk):
    meeting = get_object_or_404(feed_queryset(Meeting.objects.all()), pk=pk)
    return _ics_response(build_calendar([meeting], meeting.title), f"meeting-{meeting.pk}.ics")


@require_GET
def private_feed(request, token):
    person = User.objects.filter(calendar_token=token, is_active=True).first()
    if person is None:
        raise Http404
    meetings = feed_queryset(Meeting.objects.taken_part_in_by(person).order_by("starts_at"))
    return _ics_response(build_calendar(meetings, str(_("My meetings"))), "my-meetings.ics")


@login_required
@require_POST
def revoke_calendar_token(request):
    User.objects.filter(pk=request.user.pk).update(calendar_token=new_calendar_token())
    messages.success(
        request, _("Your private calendar address is renewed; the old one no longer works.")
    )
    return _back(request, reverse("me"))
