"""The agenda and a meeting's board: what is planned, who hosts, the plenary's notes."""

import functools
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import OuterRef
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assembly import fragments
from assembly.context_processors import cached_configuration
from assembly.models import User
from assembly.prepared import prepared
from assembly.revisions import latest_revision

from .. import chart, permissions, services, structured_data
from ..models import Meeting, Workshop, WorkshopSignup
from ..models.workshops import involvement_from
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


@fragments.part("board-cards")
def board_cards_key(context):
    """The cards per meeting and per what makes one viewer's differ: whether sign-ups are open,
    whether they may hide (a facilitator), which workshops they signed up to and which they run.
    A card's online link is shown from these values alone (`permissions.sees_workshop_link`),
    so that two viewers who share a kept card may both see it."""
    return (context["meeting"].pk, context["board_viewer"])


# What the board asks at every first view after a write, built and compiled once per process
# (assembly/prepared.py); `person` and `meeting` are primary keys.
@prepared()
def _involvement(person, meeting):
    return Workshop.objects.involvement_rows(person, meeting)


@prepared()
def _took_part(meeting, person):
    return Meeting.objects.filter(pk=meeting).took_part(person).values_list("pk")[:1]


@prepared()
def _board_of_a_participant(meeting, person):
    # A signed-in person who is not a facilitator: the visible workshops (Workshop.visible_to).
    return Workshop.objects.on_board(meeting, person)


def _hosts_column(column: str) -> ArraySubquery:
    # One column of the meeting's hosts, as meeting.hosts.all() orders them (by display name),
    # the key breaking ties so that each column lists them in the same order.
    hosts = User.objects.filter(hosted_meetings=OuterRef("pk")).order_by("display_name", "pk")
    return ArraySubquery(hosts.values(column))


def _board_meeting(meeting):
    # As permissions.meeting_for reads it, with the latest revision of its plenary notes as
    # notes.latest_revision_id(meeting) asks it (for the notes' form) and what the board shows
    # of its hosts (`_hosts`): one query, not three.
    return _board_meeting_without_hosts(meeting).annotate(
        host_pks=_hosts_column("pk"),
        host_display_names=_hosts_column("display_name"),
        host_emails=_hosts_column("email"),
    )


def _board_meeting_without_hosts(meeting):
    return (
        Meeting.objects.select_related("venue")
        .filter(pk=meeting)
        .annotate(notes_revision=latest_revision(Meeting))
    )


@prepared()
def _meeting_of_the_board(meeting):
    return _board_meeting(meeting)


@prepared()
def _meeting_of_the_board_for(meeting, person):
    # The same, with what the board reads of this person's involvement (`_involvement`): the
    # workshops they signed up to, those they run and whether each of those is hidden.
    runs = Workshop.objects.filter(meeting=OuterRef("pk")).run_by(person).order_by("pk")
    signed_up = WorkshopSignup.objects.filter(workshop__meeting=OuterRef("pk"), person=person)
    return _board_meeting(meeting).annotate(
        involvement_signed_up=ArraySubquery(signed_up.values("workshop_id")),
        involvement_runs=ArraySubquery(runs.values("pk")),
        involvement_runs_hidden=ArraySubquery(runs.values("hidden")),
    )


def _involvement_read_with(meeting) -> tuple:
    """What `_involvement_of` gives, as `_meeting_of_the_board_for` read it with the meeting;
    taken off the meeting, which every viewer then shares (fragments.memo)."""
    kept = meeting.__dict__
    signed_up = kept.pop("involvement_signed_up")
    runs, hidden = kept.pop("involvement_runs"), kept.pop("involvement_runs_hidden")
    runs_a_visible_one = not all(hidden)
    return frozenset(signed_up), frozenset(runs), runs_a_visible_one


def _involvement_of(user, meeting) -> tuple:
    """The workshops this person signed up to, those they run, and whether one they run is
    visible (Meeting.took_part counts those)."""
    rows = _involvement(person=user.pk, meeting=meeting.pk)
    signed_up, runs = involvement_from(rows, user.pk)
    return signed_up, runs, any(pk in runs and not hidden for pk, *_facts, hidden in rows)


def _hosts(meeting) -> list[tuple[int, str]]:
    """The meeting's hosts (key, name as User.__str__ writes it from the columns it reads), from
    `_meeting_of_the_board`'s columns."""
    return [
        (pk, User.__str__(SimpleNamespace(pk=pk, display_name=name, email=email)))
        for pk, name, email in zip(
            meeting.host_pks, meeting.host_display_names, meeting.host_emails, strict=True
        )
    ]


@prepared()
def _meeting_of_the_board_elsewhere(meeting):
    # Without PostgreSQL's ARRAY(SELECT …) (SQLite, the embedded default of `make run`): the
    # meeting and the latest revision of its notes; its hosts are asked for apart.
    return _board_meeting_without_hosts(meeting)


def _meeting_and_hosts(request, pk, user, involvement: list) -> tuple:
    """The meeting and its hosts; for a signed-in person, their involvement read with them
    (appended to `involvement`, for their own fact): one query less on the first view."""
    if connection.vendor != "postgresql":
        meeting = permissions.meeting_for(request, pk, read=_meeting_of_the_board_elsewhere)
        hosts = meeting.hosts.order_by("display_name", "pk")
        return meeting, [(host.pk, str(host)) for host in hosts]
    if not user.is_authenticated:
        meeting = permissions.meeting_for(request, pk, read=_meeting_of_the_board)
        return meeting, _hosts(meeting)
    read = functools.partial(_meeting_of_the_board_for, person=user.pk)
    meeting = permissions.meeting_for(request, pk, read=read)
    involvement.append(_involvement_read_with(meeting))
    return meeting, _hosts(meeting)


@prepared()
def _board_of_a_visitor(meeting):
    return Workshop.objects.on_board(meeting, None)


def _person_on_board(user, meeting, hosts, facilitator, involvement: list) -> tuple:
    """What differs for this person: the workshops they signed up to and those they run, whether
    they took part (once the meeting has begun) and whether they may see its online link (when
    it has one). `involvement`: what `_involvement_of` gives, when read with the meeting."""
    if not user.is_authenticated:
        return frozenset(), frozenset(), None, None
    signed_up, runs, runs_a_visible_one = (
        involvement[0] if involvement else _involvement_of(user, meeting)
    )
    took_part = None
    if meeting.has_started():
        # Meeting.took_part: hosting, running one of its visible workshops (both known here),
        # or ticked present, which only its query knows.
        took_part = (
            any(host_pk == user.pk for host_pk, _name in hosts)
            or runs_a_visible_one
            or bool(_took_part(meeting=meeting.pk, person=user.pk))
        )
    registered = meeting.is_registered_by(user) if meeting.online_link and not facilitator else None
    return signed_up, runs, took_part, registered


def _on_board(meeting, user) -> list:
    if not user.is_authenticated:
        return _board_of_a_visitor(meeting=meeting.pk)
    if user.is_facilitator:
        return list(Workshop.objects.on_board(meeting, user))
    return _board_of_a_participant(meeting=meeting.pk, person=user.pk)


@require_GET
def meeting_detail(request, pk):
    # The workshops' cards are kept as a fragment per what makes one person's differ from
    # another's (role, sign-ups, workshops they run), under the content version.
    fragments.remember_content_version(request)
    # The meeting, then what the board reads besides it, once per content version in this
    # process (nothing here changes them): the meeting and its hosts for everyone,
    # and what differs for this person (their sign-ups, the workshops they run, whether they
    # took part: only asked once the meeting has begun, since it only matters then). When the
    # meeting is read, a signed-in person's sign-ups and workshops come with it.
    user = request.user
    involvement = []
    meeting, hosts = fragments.memo(
        request, "meeting", [pk], lambda: _meeting_and_hosts(request, pk, user, involvement)
    )
    facilitator = permissions.can_hide_workshop(user)
    # Keyed by the role too: a facilitator's fact leaves `registered` unasked, so a person made or
    # unmade facilitator (a write to the groups, which this fact does not read) starts a new one.
    signed_up, runs, took_part, registered = fragments.memo(
        request,
        "board-person",
        [meeting.pk, user.pk, facilitator],
        lambda: _person_on_board(user, meeting, hosts, facilitator, involvement),
    )
    open_for_signups = permissions.can_sign_up(user, meeting)

    def cards():
        return [
            card_context(
                w,
                user,
                signed_up=w.signed_up,
                open_for_signups=open_for_signups,
                runs=runs,
                facilitator=facilitator,
                # From the kept part's key, never from the fresher rows read here: a card kept
                # for this key must not show the link to another viewer with the same key.
                sees_link=permissions.sees_workshop_link(
                    w, signed_up=w.pk in signed_up, runs=w.pk in runs, facilitator=facilitator
                ),
            )
            for w in _on_board(meeting, user)
        ]

    can_write_notes = permissions.can_write_plenary_notes(user, meeting, took_part=took_part)
    is_host = user.is_authenticated and any(host_pk == user.pk for host_pk, _name in hosts)
    takes_hosts = permissions.can_volunteer_to_host(user, meeting)
    return render(
        request,
        "workshops/meeting_detail.html",
        {
            "meeting": meeting,
            "structured_data": structured_data.meeting_event(
                meeting, request.build_absolute_uri, cached_configuration(request)
            ),
            "hosts": [name for _pk, name in hosts],
            "is_host": is_host,
            # Read only when the fragment is rendered, not when it is copied.
            "cards": SimpleLazyObject(cards),
            "board_viewer": (open_for_signups, facilitator, sorted(signed_up), sorted(runs)),
            "can_see_meeting_link": permissions.can_see_meeting_link(
                user, meeting, registered=registered
            ),
            "can_propose": permissions.can_propose_workshop(user, meeting),
            "can_volunteer": takes_hosts and not is_host,
            "can_withdraw": takes_hosts,
            "can_write_notes": can_write_notes,
            "can_record_attendance": permissions.can_record_attendance(user),
            "can_manage_meetings": permissions.can_manage_meetings(user),
            "can_cancel": permissions.can_cancel_meeting(user, meeting),
            "can_reinstate": permissions.can_reinstate_meeting(user, meeting),
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
