"""The pages of gatherings: the list, a gathering, its programme (grid, list, iCalendar, Atom), the
call for sessions, a session, each person's own programme, and the organisers' page. Views parse,
check permissions explicitly, call a service, then render or redirect with a message."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from assembly import fragments, pickers
from assembly.forms import reasons
from assembly.models import User
from assembly.permissions import is_signed_in
from assembly.revisions import latest_revision
from workshops.models import Venue
from workshops.views.notes import save_notes

from . import ical, permissions, revisions, services
from .forms import (
    AssignForm,
    GatheringEditForm,
    GatheringForm,
    NameForm,
    NotesForm,
    OrganiserForm,
    PlaceForm,
    ProgrammeFilterForm,
    ProposalForm,
    ReviewForm,
    SessionForm,
    SiteForm,
    SplitForm,
    StopForm,
    VolunteerForm,
    WalkForm,
)
from .models import (
    Gathering,
    Parcours,
    Session,
    SessionRegistration,
    Site,
    Stop,
    Volunteer,
    formats_of,
)

# What the grid and the lists read of a session, in one query.
SESSION_RELATED = (
    "format",
    "track",
    "site__venue",
    "room__site__venue",
    "stop__site__venue",
    "stop__parcours",
)


def gathering_list(request):
    today = timezone.localdate()
    return render(
        request,
        "gatherings/list.html",
        {
            "upcoming": list(Gathering.objects.upcoming(today)),
            "past": list(Gathering.objects.past(today)[:20]),
            "can_create": permissions.can_create_gathering(request.user),
        },
    )


@login_required
def gathering_new(request):
    if not permissions.can_create_gathering(request.user):
        raise PermissionDenied
    form = GatheringForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            gathering = services.create_gathering(
                by=request.user,
                title=data.pop("title"),
                slug=data.pop("slug"),
                starts_on=data.pop("starts_on"),
                ends_on=data.pop("ends_on"),
                **data,
            )
        except services.GatheringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The gathering is created: add its sites and tracks."))
            return redirect("gatherings:organise", slug=gathering.slug)
    return render(request, "gatherings/form.html", {"form": form, "gathering": None})


def _sites(gathering):
    return list(gathering.sites.select_related("venue").prefetch_related("rooms"))


def _parcours(gathering):
    return list(
        Parcours.objects.filter(gathering=gathering)
        .select_related("track")
        .prefetch_related(Prefetch("stops", queryset=Stop.objects.select_related("site__venue")))
    )


def _point(venue) -> list[float] | None:
    if venue.latitude is None or venue.longitude is None:
        return None
    return [float(venue.latitude), float(venue.longitude)]


def map_config(sites, parcours) -> dict:
    """What the map draws: the sites with coordinates, and each walk's stops in order."""
    return {
        "tilesUrl": settings.MAP_TILES_URL,
        "attribution": settings.MAP_ATTRIBUTION,
        "sites": [
            {
                "name": site.venue.name,
                "address": site.venue.address,
                "latitude": point[0],
                "longitude": point[1],
            }
            for site in sites
            if (point := _point(site.venue))
        ],
        "walks": [
            {
                "title": walk.title,
                "points": [
                    point for stop in walk.stops.all() if (point := _point(stop.site.venue))
                ],
            }
            for walk in parcours
        ],
    }


def gathering_detail(request, slug):
    gathering = get_object_or_404(Gathering, slug=slug)
    user = request.user
    registered = is_signed_in(user) and gathering.registrations.filter(person=user).exists()
    proposals = list(
        gathering.sessions.in_call()
        .exclude(state=Session.State.DECLINED)
        .select_related("format", "proposed_by")
        .order_by("-created_at", "-pk")
    )
    sites, parcours = _sites(gathering), _parcours(gathering)
    return render(
        request,
        "gatherings/detail.html",
        {
            "gathering": gathering,
            "sites": sites,
            "tracks": list(gathering.tracks.all()),
            "parcours": parcours,
            "map_config": map_config(sites, parcours),
            "proposals": proposals,
            "registered": registered,
            "registration_count": gathering.registrations.count(),
            "can_register": permissions.can_register(user, gathering),
            "can_propose": permissions.can_propose(user, gathering),
            "is_organiser": permissions.is_organiser(user, gathering),
            "volunteering": is_signed_in(user)
            and gathering.volunteers.filter(person=user).exists(),
        },
    )


@login_required
def gathering_edit(request, slug):
    gathering = permissions.gathering_for_organiser(request, slug)
    form = GatheringEditForm(request.POST if request.method == "POST" else None, instance=gathering)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_gathering(
                gathering, **{name: form.cleaned_data[name] for name in form.Meta.fields}
            )
        except services.GatheringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The gathering is saved."))
            return redirect(gathering)
    return render(request, "gatherings/form.html", {"form": form, "gathering": gathering})


@login_required
@require_POST
def gathering_register(request, slug):
    gathering = get_object_or_404(Gathering, slug=slug)
    if request.POST.get("action") == "withdraw":
        services.withdraw_registration(gathering, request.user)
        messages.success(request, _("You are no longer registered for this gathering."))
        return redirect(gathering)
    try:
        services.register(gathering, request.user)
    except services.GatheringError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are registered. Now choose your sessions."))
    return redirect(gathering)


# --- The programme -------------------------------------------------------------------------------


def _programme_sessions(gathering, form):
    sessions = gathering.sessions.on_grid().select_related(*SESSION_RELATED)
    if form.is_valid():
        if form.cleaned_data["track"]:
            sessions = sessions.filter(track_id=form.cleaned_data["track"])
        if form.cleaned_data["format"]:
            sessions = sessions.filter(format__key=form.cleaned_data["format"])
    return list(sessions.order_by("starts_at", "pk"))


def build_grid(gathering, sites, sessions):
    """Each day as a table: a row per start time, a column per site, the sessions in the cells."""
    column_of = {site.pk: index for index, site in enumerate(sites)}
    days = []
    for day in gathering.days:
        todays = [s for s in sessions if timezone.localtime(s.starts_at).date() == day]
        rows = {}
        for session in todays:
            start = timezone.localtime(session.starts_at)
            row = rows.setdefault(start, [[] for _site in sites])
            site = session.where_site
            if site is not None and site.pk in column_of:
                row[column_of[site.pk]].append(session)
        days.append({"day": day, "rows": sorted(rows.items()), "sessions": todays})
    return days


def programme(request, slug):
    gathering = get_object_or_404(Gathering, slug=slug)
    tracks = list(gathering.tracks.all())
    formats = list(formats_of(gathering))
    form = ProgrammeFilterForm(request.GET or None, tracks=tracks, formats=formats)
    sites = list(gathering.sites.select_related("venue"))
    sessions = _programme_sessions(gathering, form)
    return render(
        request,
        "gatherings/programme.html",
        {
            "gathering": gathering,
            "form": form,
            "sites": sites,
            "days": build_grid(gathering, sites, sessions),
            "filtered": form.is_valid() and any(form.cleaned_data.values()),
        },
    )


def programme_ics(request, slug):
    gathering = get_object_or_404(Gathering, slug=slug)
    sessions = gathering.sessions.on_grid().select_related(*SESSION_RELATED)
    body = ical.build_calendar(sessions, gathering.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = ical.content_etag(body)
    return response


# --- The call for sessions -----------------------------------------------------------------------


@login_required
def propose(request, slug):
    gathering = get_object_or_404(Gathering, slug=slug)
    if not permissions.can_propose(request.user, gathering):
        raise PermissionDenied
    form = ProposalForm(request.POST if request.method == "POST" else None, gathering=gathering)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.propose_session(gathering, by=request.user, **form.cleaned_data)
        except services.GatheringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Your proposal is on the gathering's page. The organisers will answer.")
            )
            return redirect(session)
    return render(request, "gatherings/propose.html", {"gathering": gathering, "form": form})


# --- A session -----------------------------------------------------------------------------------


def _session(slug, pk, **annotations) -> Session:
    return get_object_or_404(
        Session.objects.select_related(
            *SESSION_RELATED, "gathering", "chantier", "proposed_by"
        ).annotate(**annotations),
        pk=pk,
        gathering__slug=slug,
    )


def _unsaved_pages(subject, notes_title: str, action: str, **more) -> dict:
    """What the pages of a text not saved (stale, or refused) say of it: a session's notes or
    the gathering's minutes (workshops/views/notes.py draws them)."""
    return {
        "subject": subject,
        "subject_title": subject.title,
        "notes_title": notes_title,
        "back_url": subject.get_absolute_url(),
        "action": action,
        **more,
    }


def session_detail(request, slug, pk):
    # The latest revision of the notes, for the notes' form, is read with the session.
    session = _session(slug, pk, notes_revision=latest_revision(Session))
    gathering = session.gathering
    user = request.user
    organiser = permissions.is_organiser(user, gathering)
    if session.state == Session.State.DECLINED and not (
        organiser or (is_signed_in(user) and session.proposed_by_id == user.pk)
    ):
        raise Http404
    registration = permissions.place_of(user, session)
    counts = session.registrations.aggregate(
        registered=Count("pk", filter=Q(state=SessionRegistration.State.REGISTERED)),
        waiting=Count("pk", filter=Q(state=SessionRegistration.State.WAITLISTED)),
    )
    position = None
    if registration is not None and registration.state == SessionRegistration.State.WAITLISTED:
        position = (
            session.registrations.waitlisted()
            .filter(
                Q(joined_at__lt=registration.joined_at)
                | Q(joined_at=registration.joined_at, pk__lt=registration.pk)
            )
            .count()
            + 1
        )
    context = {
        "gathering": gathering,
        "session": session,
        "facilitators": list(session.facilitators.order_by("display_name")),
        "registration": registration,
        "position": position,
        "counts": counts,
        "threshold": services.split_threshold(session),
        "can_register": is_signed_in(user) and session.is_placed and gathering.registration_open,
        "can_see_link": permissions.can_see_online_link(user, session, registration),
        "can_revise": permissions.can_revise(user, session),
        "is_organiser": organiser,
        "can_write_notes": permissions.can_write_notes(user, session, registration),
    }
    if organiser:
        sites = _sites(gathering)  # read once for the two forms that offer them
        context["review_form"] = ReviewForm()
        context["place_form"] = PlaceForm(
            gathering=gathering,
            sites=sites,
            initial={
                "starts_at": session.starts_at and timezone.localtime(session.starts_at),
                "ends_at": session.ends_at and timezone.localtime(session.ends_at),
            },
        )
        context["assign_form"] = AssignForm(gathering=gathering, searched=request.GET)
        if session.is_placed and not session.stop_id:
            context["split_form"] = SplitForm(gathering=gathering, sites=sites)
    if context["can_write_notes"]:
        context["notes_form"] = NotesForm(
            initial={"notes": session.notes, "revision": session.notes_revision}
        )
    return render(request, "gatherings/session.html", context)


@login_required
@require_POST
def session_register(request, slug, pk):
    session = _session(slug, pk)
    if request.POST.get("action") == "withdraw":
        services.withdraw_from_session(session, request.user)
        messages.success(request, _("You left this session."))
        return redirect(session)
    try:
        registration = services.register_for_session(session, request.user)
    except services.GatheringError as error:
        messages.error(request, error.message)
    else:
        if registration.state == SessionRegistration.State.REGISTERED:
            messages.success(request, _("You are registered for this session."))
        else:
            messages.info(
                request,
                _(
                    "This session is full: you are on its waitlist, and will be e-mailed if a place "
                    "frees up."
                ),
            )
    return redirect(session)


def _say(request, act) -> None:
    """Run an organiser's action: its refusal (a domain error, or a form's reasons) or what it
    did is said to them in a message."""
    try:
        said = act()
    except services.GatheringError as error:
        messages.error(request, error.message)
    else:
        if said:
            messages.success(request, said)


def _valid(form):
    """The form, valid, or a refusal that says why."""
    if not form.is_valid():
        raise services.GatheringError(reasons(form))
    return form


def _session_organiser_post(view):
    """An organiser's form on a session's page: POST only, then back to the session."""

    @login_required
    @require_POST
    def wrapper(request, slug, pk):
        session = _session(slug, pk)
        if not permissions.is_organiser(request.user, session.gathering):
            raise PermissionDenied
        if pickers.sent_to_search(request.POST):
            # A picker's search without JavaScript: the session's page shows the matches.
            return redirect(pickers.search_address(session.get_absolute_url(), request.POST))
        _say(request, lambda: view(request, session))
        return redirect(session)

    wrapper.__name__ = view.__name__
    return wrapper


@_session_organiser_post
def session_review(request, session):
    form = _valid(ReviewForm(request.POST))
    services.review_proposal(
        session, answer=form.cleaned_data["answer"], message=form.cleaned_data["message"]
    )
    return _("The proposal is answered; its author is told by e-mail.")


@_session_organiser_post
def session_place(request, session):
    if request.POST.get("action") == "unplace":
        services.unplace_session(session)
        return _("The session is off the grid.")
    form = _valid(PlaceForm(request.POST, gathering=session.gathering))
    services.place_session(session, **form.placement())
    return _("The session is on the grid.")


@_session_organiser_post
def session_split(request, session):
    form = _valid(SplitForm(request.POST, gathering=session.gathering))
    groups = services.split_session(session, places=form.chosen())
    return _(
        "The session is split into %(count)s parallel groups: assign each its facilitators."
    ) % {"count": len(groups)}


@_session_organiser_post
def session_assign(request, session):
    form = _valid(AssignForm(request.POST, gathering=session.gathering))
    services.assign_facilitator(session, form.cleaned_data["person"])
    return _("The facilitator is assigned and told by e-mail.")


@login_required
def session_edit(request, slug, pk):
    """Organisers edit a session; its proposer revises it when changes are asked."""
    session = _session(slug, pk)
    gathering = session.gathering
    organiser = permissions.is_organiser(request.user, gathering)
    if not organiser and not permissions.can_revise(request.user, session):
        raise PermissionDenied
    form_class = SessionForm if organiser else ProposalForm
    form = form_class(
        request.POST if request.method == "POST" else None, instance=session, gathering=gathering
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if organiser:
                services.update_session(session, **fields)
            else:
                services.revise_proposal(session, **fields)
        except services.GatheringError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The session is saved."))
            return redirect(session)
    # The form's instance took the posted values; show the page's title from the database.
    return render(
        request,
        "gatherings/session_form.html",
        {"gathering": gathering, "session": _session(slug, pk), "form": form},
    )


@login_required
@require_POST
def session_notes(request, slug, pk):
    session = _session(slug, pk)
    registration = permissions.place_of(request.user, session)
    if not permissions.can_write_notes(request.user, session, registration):
        raise PermissionDenied
    # Refused (400) or stale (409), nothing is written and the page gives the text back.
    return save_notes(
        request,
        session,
        services.write_session_notes,
        _("The notes are saved; earlier versions are kept."),
        pages=_unsaved_pages(
            session,
            _("Notes"),
            reverse("gatherings:session-notes", args=[session.gathering.slug, session.pk]),
        ),
        form_class=NotesForm,
    )


def session_notes_history(request, slug, pk):
    """Every revision of a session's notes, newest first, each compared with the one before."""
    session = _session(slug, pk)
    if session.state == Session.State.DECLINED:
        raise Http404
    return render(
        request,
        "gatherings/revisions.html",
        {
            "gathering": session.gathering,
            "back": session,
            "heading": _("Earlier versions of the notes"),
            "empty": _("The notes have no earlier version."),
            "rows": revisions.compared(session, "notes"),
        },
    )


# --- Each person's own programme -----------------------------------------------------------------


def my_sessions(gathering, person):
    """The sessions a person registered for (or waits for) and those they facilitate."""
    mine = Q(registrations__person=person) | Q(facilitators=person)
    ids = Session.objects.filter(gathering=gathering).filter(mine).values("pk")
    sessions = list(
        Session.objects.on_grid()
        .filter(pk__in=ids)
        .select_related(*SESSION_RELATED)
        .order_by("starts_at", "pk")
    )
    states = dict(
        SessionRegistration.objects.filter(
            session__in=[s.pk for s in sessions], person=person
        ).values_list("session_id", "state")
    )
    for session in sessions:
        session.gathering = gathering  # its address names the gathering: no query per session
        session.my_state = states.get(session.pk, "facilitating")
    return sessions


@fragments.part("gathering-me")
def my_programme_key(context):
    """Everything in the part is this person's own, for this gathering (and the minute: "now")."""
    return (context["gathering"].pk, context["user"].pk)


def _my_programme_parts(gathering, person) -> dict:
    sessions = my_sessions(gathering, person)
    clashing = services.conflicts(sessions)
    now = timezone.now()
    for session in sessions:
        session.clashes = session.pk in clashing
    return {
        "sessions": sessions,
        "conflict_count": len(clashing),
        "now_sessions": [s for s in sessions if s.starts_at <= now < s.ends_at],
        "next_sessions": [s for s in sessions if s.starts_at > now][:3],
    }


@login_required
def my_programme(request, slug):
    fragments.remember_content_version(request)
    # The gathering is only read here: one copy per content version in this process.
    gathering = fragments.memo(
        request, "gathering", (slug,), lambda: Gathering.objects.filter(slug=slug).first()
    )
    if gathering is None:
        raise Http404
    person = request.user
    # Read only when the kept part is rendered (once per content version and minute).
    parts = SimpleLazyObject(lambda: _my_programme_parts(gathering, person))
    return render(
        request,
        "gatherings/me.html",
        {
            "gathering": gathering,
            "mine": parts,
            "feed_url": request.build_absolute_uri(
                f"/gatherings/{gathering.slug}/me/{person.calendar_token}.ics"
            ),
        },
    )


def programme_worker(request):
    """The service worker of the programmes, served from /gatherings/ so that it may keep them."""
    path = finders.find("js/programme-worker.js") or ""
    with open(path, encoding="utf-8") as script:
        body = script.read()
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("gatherings:list")
    return response


def my_programme_ics(request, slug, token):
    gathering = get_object_or_404(Gathering, slug=slug)
    person = User.objects.filter(calendar_token=token, is_active=True).first()
    if person is None:
        raise Http404
    body = ical.build_calendar(my_sessions(gathering, person), gathering.title)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- Facilitators' pool --------------------------------------------------------------------------


@login_required
def volunteer(request, slug):
    gathering = get_object_or_404(Gathering, slug=slug)
    existing = Volunteer.objects.filter(gathering=gathering, person=request.user).first()
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        services.withdraw_volunteering(gathering, request.user)
        messages.success(request, _("You left the facilitators' pool."))
        return redirect(gathering)
    form = VolunteerForm(
        request.POST if request.method == "POST" else None, instance=existing, gathering=gathering
    )
    if request.method == "POST" and form.is_valid():
        services.volunteer_as_facilitator(
            gathering,
            request.user,
            formats=form.cleaned_data["formats"],
            availability=form.cleaned_data["availability"],
        )
        messages.success(request, _("Thank you: the organisers will see you in the pool."))
        return redirect(gathering)
    return render(
        request,
        "gatherings/volunteer.html",
        {"gathering": gathering, "form": form, "existing": existing},
    )


# --- The organisers' page ------------------------------------------------------------------------


@login_required
def organise(request, slug):
    gathering = permissions.gathering_for_organiser(request, slug)
    # The sessions and, in the same query, how many hold a place in each: those on the grid past
    # their split threshold are offered a split.
    sessions = list(
        gathering.sessions.select_related(*SESSION_RELATED, "proposed_by")
        .annotate(
            registered=Count(
                "registrations", filter=Q(registrations__state=SessionRegistration.State.REGISTERED)
            )
        )
        .order_by("state", "starts_at", "pk")
    )
    over = [
        s
        for s in sessions
        if s.state == Session.State.ACCEPTED
        and s.is_placed
        and (threshold := services.split_threshold(s)) is not None
        and s.registered > threshold
    ]
    sites, tracks = _sites(gathering), list(gathering.tracks.all())
    return render(
        request,
        "gatherings/organise.html",
        {
            "gathering": gathering,
            "sites": sites,
            "tracks": tracks,
            "formats": list(formats_of(gathering)),
            "sessions": sessions,
            "over_threshold": over,
            "organisers": list(gathering.organisers.select_related("person")),
            "volunteers": list(
                gathering.volunteers.select_related("person").prefetch_related("formats")
            ),
            "site_form": SiteForm(),
            "name_form": NameForm(),
            "organiser_form": OrganiserForm(),
        },
    )


def _organiser_post(view=None, *, back="gatherings:organise"):
    """An organiser's small form: POST only, then back to the organisers' page (or `back`)."""

    def decorate(view):
        @login_required
        @require_POST
        def wrapper(request, slug, **kwargs):
            gathering = permissions.gathering_for_organiser(request, slug)
            _say(request, lambda: view(request, gathering, **kwargs))
            return redirect(back, slug=gathering.slug)

        wrapper.__name__ = view.__name__
        return wrapper

    return decorate(view) if view is not None else decorate


@_organiser_post
def organise_site(request, gathering):
    form = _valid(SiteForm(request.POST))
    venue = form.cleaned_data["venue"]
    if venue is None:
        venue = Venue.objects.create(
            name=form.cleaned_data["name"].strip(), address=form.cleaned_data["address"].strip()
        )
    services.add_site(gathering, venue, rooms=form.room_names())
    return _("The site is added.")


@_organiser_post
def organise_room(request, gathering):
    site = Site.objects.filter(gathering=gathering, pk=request.POST.get("site", "")[:12] or 0)
    form = NameForm(request.POST)
    if not site.exists() or not form.is_valid():
        raise services.GatheringError(_("Choose a site and name the room."))
    services.add_room(site.get(), form.cleaned_data["name"])
    return _("The room is added.")


def _organise_named(name: str, add, done):
    """An organiser names a new track or format: the same small form, another service."""

    def view(request, gathering):
        form = _valid(NameForm(request.POST))
        add(gathering, form.cleaned_data["name"])
        return str(done)

    view.__name__ = name
    return _organiser_post(view)


organise_track = _organise_named("organise_track", services.add_track, _lazy("The track is added."))
organise_format = _organise_named(
    "organise_format", services.add_format, _lazy("The format is added.")
)


@_organiser_post
def organise_organiser(request, gathering):
    form = _valid(OrganiserForm(request.POST))
    services.add_organiser(gathering, form.cleaned_data["email"])
    return _("The organiser is added.")


@_organiser_post(back="gatherings:organise-walk")
def _add_walk(request, gathering):
    form = _valid(WalkForm(request.POST, tracks=list(gathering.tracks.all())))
    services.add_parcours(gathering, form.cleaned_data["title"], [], track=form.chosen_track())
    return _("The walk is added: now give it its stops.")


@login_required
@require_http_methods(["GET", "POST"])
def organise_walk(request, slug):
    """The walks of a gathering, for its organisers, on a page of their own: each with its stops
    and the forms that change them (no JavaScript needed); a POST adds a walk."""
    if request.method == "POST":
        return _add_walk(request, slug=slug)
    gathering = permissions.gathering_for_organiser(request, slug)
    sites, tracks = _sites(gathering), list(gathering.tracks.all())
    walks = _parcours(gathering)
    for walk in walks:
        # One form of each per walk, with ids of its own; their choices come from the lists above.
        walk.rename_form = WalkForm(
            tracks=tracks,
            initial={"title": walk.title, "track": walk.track_id},
            auto_id=f"id_walk{walk.pk}_%s",
        )
        walk.stop_form = StopForm(
            sites=sites, gathering=gathering, auto_id=f"id_walk{walk.pk}_stop_%s"
        )
    return render(
        request,
        "gatherings/walks.html",
        {
            "gathering": gathering,
            "is_organiser": True,
            "sites": sites,
            "walks": walks,
            "walk_form": WalkForm(tracks=tracks, auto_id="id_walk_%s"),
        },
    )


def _posted_stop(request, parcours) -> Stop:
    pk = request.POST.get("stop", "")[:12]
    return get_object_or_404(Stop, parcours=parcours, pk=int(pk) if pk.isdigit() else 0)


@_organiser_post(back="gatherings:organise-walk")
def organise_walk_change(request, gathering, pk):
    """Rename a walk, add a stop, move a stop up or down, or remove it: one form each on the
    walks' page, told apart by their `action`."""
    parcours = get_object_or_404(Parcours, gathering=gathering, pk=pk)
    action = request.POST.get("action")
    if action == "rename":
        form = _valid(WalkForm(request.POST, tracks=list(gathering.tracks.all())))
        services.rename_parcours(parcours, form.cleaned_data["title"], track=form.chosen_track())
        return _("The walk is saved.")
    if action == "add-stop":
        form = _valid(StopForm(request.POST, sites=_sites(gathering)))
        services.add_stop(parcours, form.chosen_site(), form.cleaned_data["arrives_at"])
        return _("The stop is added to the walk.")
    if action in ("up", "down"):
        services.move_stop(_posted_stop(request, parcours), up=action == "up")
        return _("The stops are in their new order; the walk keeps its timetable.")
    if action == "remove":
        services.remove_stop(_posted_stop(request, parcours))
        return _("The stop is removed from the walk.")
    raise services.GatheringError(_("Choose what to change in the walk."))


@_organiser_post
def organise_publish(request, gathering):
    services.publish_programme(gathering)
    return _("The programme is published: from now on its changes are announced.")


@_organiser_post
def organise_desk(request, gathering):
    services.open_welcome_desk(gathering)
    return _("The welcome desk is open: check people in at its door.")


# --- Minutes -------------------------------------------------------------------------------------


def minutes(request, slug):
    # The latest revision of the minutes, for the organisers' form, is read with the gathering.
    gathering = get_object_or_404(
        Gathering.objects.annotate(minutes_revision=latest_revision(Gathering)), slug=slug
    )
    organiser = permissions.is_organiser(request.user, gathering)
    if request.method == "POST":
        if not organiser:
            raise PermissionDenied
        # Refused (400) or stale (409), nothing is written and the page gives the text back.
        minutes_url = reverse("gatherings:minutes", args=[gathering.slug])
        return save_notes(
            request,
            gathering,
            services.write_minutes,
            _("The minutes are saved; earlier versions are kept."),
            pages=_unsaved_pages(
                gathering,
                pgettext("a gathering", "Minutes"),
                minutes_url,
                back_url=minutes_url,
                save_label=_("Save the minutes"),
                stale_title=_("Minutes changed meanwhile"),
                stale_message=_(
                    "Someone else saved these minutes while you were writing. Their text is kept; "
                    "yours is below. Merge the two, then save again."
                ),
            ),
            form_class=NotesForm,
            done=minutes_url,
        )
    form = NotesForm(initial={"notes": gathering.minutes, "revision": gathering.minutes_revision})
    sessions = list(
        gathering.sessions.on_grid()
        .exclude(notes="")
        .select_related("format")
        .order_by("starts_at", "pk")
    )
    return render(
        request,
        "gatherings/minutes.html",
        {
            "gathering": gathering,
            "sessions": sessions,
            "form": form if organiser else None,
        },
    )


def minutes_history(request, slug):
    """Every revision of the gathering's minutes, newest first, each compared with the one
    before: what changed, and who changed it."""
    gathering = get_object_or_404(Gathering, slug=slug)
    return render(
        request,
        "gatherings/revisions.html",
        {
            "gathering": gathering,
            "back": gathering,
            "back_url": reverse("gatherings:minutes", args=[gathering.slug]),
            "heading": _("Earlier versions of the minutes"),
            "empty": _("The minutes have no earlier version."),
            "rows": revisions.compared(gathering, "minutes"),
        },
    )
