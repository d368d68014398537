"""A form is shown exactly when saving it would be allowed.

For every form that needs a permission, and for each role, the page that offers the form (or the
link to its page) shows it if and only if posting it is accepted: not refused with 403, not sent
to sign in, not sent back with an error message. A page offering what its form then refuses, or
hiding what its form would accept, fails here.
"""

import dataclasses
import datetime
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import ERROR, get_messages
from django.urls import reverse
from django.utils import timezone

from assembly.models import FACILITATORS_GROUP
from charter.models import Amendment
from commons_registry.models import Commons
from decisions import services as decision_services
from gatherings import services as gathering_services
from gatherings.models import Format, Gathering
from tests.charter.factories import add_version, default_charter
from tests.charter.factories import amendment as charter_amendment
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import MemberFactory, discussion, voting
from tests.factories import UserFactory
from tests.gatherings.factories import fmt, gathering, place
from tests.workshops.factories import (
    AttendanceFactory,
    MeetingFactory,
    PastMeetingFactory,
    SignupFactory,
    WorkshopFactory,
)

# "owner" is the person the case makes closest to the object: the workshop's proposer, the
# decision's author, the entry's steward, someone ticked present...
ROLES = ("anonymous", "participant", "owner", "member", "facilitator", "administrator")


@dataclasses.dataclass
class Form:
    page: str  # the page that offers the form, or a link to the page holding it
    action: str  # where the form posts
    data: dict = dataclasses.field(default_factory=dict)


def _people():
    facilitator = UserFactory()
    facilitator.groups.add(Group.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    return {
        "participant": UserFactory(),
        "owner": UserFactory(),
        "member": MemberFactory(),
        "facilitator": facilitator,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }


# --- Meetings and workshops -----------------------------------------------------------------------


def plenary_notes_by_a_workshop_proposer(people):
    workshop = WorkshopFactory(meeting=PastMeetingFactory(), proposed_by=people["owner"])
    meeting = workshop.meeting
    return Form(
        meeting.get_absolute_url(),
        reverse("meetings:notes", args=[meeting.pk]),
        {"notes": "Minutes"},
    )


def plenary_notes_by_someone_ticked_present(people):
    meeting = PastMeetingFactory()
    AttendanceFactory(meeting=meeting, person=people["owner"])
    return Form(
        meeting.get_absolute_url(),
        reverse("meetings:notes", args=[meeting.pk]),
        {"notes": "Minutes"},
    )


def plenary_notes_by_a_host(people):
    meeting = PastMeetingFactory()
    meeting.hosts.add(people["owner"])
    return Form(
        meeting.get_absolute_url(),
        reverse("meetings:notes", args=[meeting.pk]),
        {"notes": "Minutes"},
    )


def plenary_notes_before_the_meeting(people):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, person=people["owner"])
    return Form(
        meeting.get_absolute_url(), reverse("meetings:notes", args=[meeting.pk]), {"notes": "Early"}
    )


def workshop_notes_by_its_proposer(people):
    workshop = WorkshopFactory(meeting=PastMeetingFactory(), proposed_by=people["owner"])
    return Form(
        workshop.get_absolute_url(),
        reverse("workshops:notes", args=[workshop.pk]),
        {"notes": "Done"},
    )


def workshop_notes_by_someone_who_only_signed_up(people):
    workshop = WorkshopFactory(meeting=PastMeetingFactory())
    SignupFactory(workshop=workshop, person=people["owner"])
    return Form(
        workshop.get_absolute_url(),
        reverse("workshops:notes", args=[workshop.pk]),
        {"notes": "Done"},
    )


def workshop_edit(people):
    workshop = WorkshopFactory(proposed_by=people["owner"])
    return Form(
        workshop.get_absolute_url(),
        reverse("workshops:edit", args=[workshop.pk]),
        {"title": "Renamed"},
    )


def workshop_hide(people):
    workshop = WorkshopFactory(proposed_by=people["owner"])
    return Form(
        workshop.meeting.get_absolute_url(),
        reverse("workshops:hide", args=[workshop.pk]),
        {"hidden": "1"},
    )


def workshop_sign_up(people):
    workshop = WorkshopFactory()
    return Form(
        workshop.meeting.get_absolute_url(), reverse("workshops:sign-up", args=[workshop.pk])
    )


def workshop_sign_up_after_the_meeting(people):
    workshop = WorkshopFactory(meeting=PastMeetingFactory())
    return Form(
        workshop.meeting.get_absolute_url(), reverse("workshops:sign-up", args=[workshop.pk])
    )


def workshop_propose(people):
    meeting = MeetingFactory()
    action = reverse("workshops:propose") + f"?meeting={meeting.pk}"
    return Form(meeting.get_absolute_url(), action, {"meeting": meeting.pk, "title": "Compost"})


def workshop_propose_after_the_meeting(people):
    meeting = PastMeetingFactory()
    action = reverse("workshops:propose") + f"?meeting={meeting.pk}"
    return Form(meeting.get_absolute_url(), action, {"meeting": meeting.pk, "title": "Compost"})


def meeting_host(people):
    meeting = MeetingFactory()
    return Form(meeting.get_absolute_url(), reverse("meetings:host", args=[meeting.pk]))


def meeting_host_after_the_meeting(people):
    meeting = PastMeetingFactory()
    return Form(meeting.get_absolute_url(), reverse("meetings:host", args=[meeting.pk]))


def meeting_new(people):
    return Form(reverse("meetings:index"), reverse("meetings:new"), {"title": "Extra"})


def meeting_edit(people):
    meeting = MeetingFactory()
    return Form(
        meeting.get_absolute_url(), reverse("meetings:edit", args=[meeting.pk]), {"title": "Moved"}
    )


def meeting_cancel(people):
    meeting = MeetingFactory()
    return Form(
        meeting.get_absolute_url(),
        reverse("meetings:cancel", args=[meeting.pk]),
        {"reason": "Storm"},
    )


def meeting_reinstate(people):
    meeting = MeetingFactory(status="cancelled", cancellation_reason="Storm")
    return Form(meeting.get_absolute_url(), reverse("meetings:reinstate", args=[meeting.pk]))


def venue_new(people):
    return Form(reverse("meetings:venues"), reverse("meetings:new-venue"), {"name": "La Halle"})


def venue_edit(people):
    meeting = MeetingFactory()
    action = reverse("meetings:edit-venue", args=[meeting.venue_id])
    return Form(reverse("meetings:venues"), action, {"name": "La Halle"})


def attendance_walk_in(people):
    meeting = MeetingFactory()
    action = reverse("meetings:walk-in", args=[meeting.pk])
    page = reverse("meetings:attendance", args=[meeting.pk])
    return Form(page, action, {"display_name": "Ana"})


# --- Commons ---------------------------------------------------------------------------------------


def commons_edit(people):
    commons = CommonsFactory(stewards=[people["owner"]])
    return Form(
        commons.get_absolute_url(),
        reverse("commons:edit", args=[commons.slug]),
        {"name": "Renamed"},
    )


def commons_assess(people):
    commons = CommonsFactory(stewards=[people["owner"]])
    return Form(commons.get_absolute_url(), reverse("commons:assess", args=[commons.slug]))


def commons_confirm(people):
    commons = CommonsFactory(stewards=[people["owner"]])
    return Form(commons.get_absolute_url(), reverse("commons:confirm", args=[commons.slug]))


def commons_moderate(people):
    commons = CommonsFactory(state=Commons.State.PROPOSED, submitted_by=people["owner"])
    action = reverse("commons:moderate", args=[commons.slug])
    return Form(commons.get_absolute_url(), action, {"action": "publish"})


def commons_propose(people):
    return Form(reverse("commons:directory"), reverse("commons:propose"), {"name": "Fab lab"})


# --- Decisions and the charter ---------------------------------------------------------------------


def decision_comment(people):
    decision = discussion(people["owner"])
    return Form(
        decision.get_absolute_url(),
        reverse("decisions:comment", args=[decision.pk]),
        {"text": "Yes"},
    )


def decision_proposal(people):
    decision = discussion(people["owner"])
    action = reverse("decisions:proposal", args=[decision.pk])
    return Form(decision.get_absolute_url(), action, {"text": "We buy it."})


def decision_withdraw(people):
    decision = discussion(people["owner"])
    return Form(decision.get_absolute_url(), reverse("decisions:withdraw", args=[decision.pk]))


def decision_vote(people):
    decision = voting(people["owner"])
    action = reverse("decisions:vote", args=[decision.pk])
    return Form(decision.get_absolute_url(), action, {"choice": "consent"})


def decision_statement(people):
    decision = discussion(people["owner"])
    decision_services.withdraw(decision, by=people["owner"])
    action = reverse("decisions:statement", args=[decision.pk])
    return Form(decision.get_absolute_url(), action, {"outcome_statement": "Dropped."})


def comment_edit(people):
    decision = discussion()
    comment = decision_services.add_comment(decision, author=people["owner"], text="Hm")
    action = reverse("decisions:comment-edit", args=[comment.pk])
    return Form(decision.get_absolute_url(), action, {"text": "Hm, yes"})


def comment_hide(people):
    decision = discussion()
    comment = decision_services.add_comment(decision, author=people["owner"], text="Spam")
    action = reverse("decisions:comment-hide", args=[comment.pk])
    return Form(decision.get_absolute_url(), action, {"hidden": "1"})


def new_round(people):
    decision = discussion(people["owner"])
    decision_services.withdraw(decision, by=people["owner"])
    action = reverse("decisions:new-round", args=[decision.pk])
    return Form(decision.get_absolute_url(), action, {"title": "Again", "proposal": "Cheaper."})


def charter_amend(people):
    base = add_version(default_charter())
    data = {"base": base.number, "title": "Change", "text": base.text + "\nMore.\n"}
    return Form(reverse("charter:current"), reverse("charter:amend"), data)


def charter_conflict_resolution(people):
    base = add_version(default_charter())
    amendment = charter_amendment(base, text=base.text + "\nMore.\n")
    Amendment.objects.filter(pk=amendment.pk).update(status=Amendment.Status.CONFLICT)
    action = reverse("charter:conflict", args=[amendment.pk])
    return Form(reverse("charter:conflicts"), action, {"text": base.text, "note": "Merged"})


# --- Membership -----------------------------------------------------------------------------------


def membership_declaration(people):
    # The owner took part in two meetings this year: they may declare themselves a member.
    for days_ago in (7, 40):
        starts_at = timezone.now() - datetime.timedelta(days=days_ago)
        meeting = MeetingFactory(starts_at=starts_at)
        AttendanceFactory(meeting=meeting, person=people["owner"])
    return Form(reverse("me"), reverse("me-declare"))


# --- Gatherings and polls: the owner organises the gathering, or is registered, or created the poll


def _gathering(people):
    # One gathering for every case built in the same database (the read-only browser test
    # builds them all at once).
    return Gathering.objects.filter(slug="rencontre").first() or gathering(
        organiser=people["owner"]
    )


def gathering_new(people):
    return Form(
        reverse("gatherings:list"),
        reverse("gatherings:new"),
        {
            "title": "Rencontre",
            "slug": "nouvelle",
            "starts_on": "2027-05-01",
            "ends_on": "2027-05-02",
            "workshop_split_threshold": "50",
            "plenary_split_threshold": "100",
        },
    )


def gathering_register(people):
    g = _gathering(people)
    return Form(g.get_absolute_url(), reverse("gatherings:register", args=[g.slug]))


def gathering_propose(people):

    g = _gathering(people)
    return Form(
        g.get_absolute_url(),
        reverse("gatherings:propose", args=[g.slug]),
        {"title": "Cartopartie", "format": Format.objects.get(gathering=None, key="workshop").pk},
    )


def gathering_organise_track(people):
    g = _gathering(people)
    return Form(
        reverse("gatherings:organise", args=[g.slug]),
        reverse("gatherings:organise-track", args=[g.slug]),
        {"name": "Numérique"},
    )


def gathering_organise_walk(people):
    g = _gathering(people)
    return Form(
        reverse("gatherings:organise-walk", args=[g.slug]),
        reverse("gatherings:organise-walk", args=[g.slug]),
        {"title": "Parcours des jardins"},
    )


def gathering_walk_stop(people):
    g = _gathering(people)
    walk = gathering_services.add_parcours(g, "Parcours", [])
    site = g.sites.first()
    arrives_at = datetime.datetime.combine(
        g.starts_on, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    return Form(
        reverse("gatherings:organise-walk", args=[g.slug]),
        reverse("gatherings:organise-walk-change", args=[g.slug, walk.pk]),
        {
            "action": "add-stop",
            "site": site.pk,
            "arrives_at": arrives_at.strftime("%Y-%m-%dT%H:%M"),
        },
    )


def session_register(people):

    session = place(_gathering(people), "Atelier")
    return Form(
        session.get_absolute_url(),
        reverse("gatherings:session-register", args=[session.gathering.slug, session.pk]),
    )


def session_review(people):

    g = _gathering(people)
    proposal = gathering_services.propose_session(g, by=UserFactory(), title="Vélo", format=fmt())
    return Form(
        proposal.get_absolute_url(),
        reverse("gatherings:session-review", args=[g.slug, proposal.pk]),
        {"answer": "accept"},
    )


def session_notes_by_a_registrant(people):
    # Someone else's gathering: the owner is only registered for the session.
    session = place(gathering(slug="rencontre-des-autres"), "Atelier")
    gathering_services.register_for_session(session, people["owner"])
    return Form(
        session.get_absolute_url(),
        reverse("gatherings:session-notes", args=[session.gathering.slug, session.pk]),
        {"notes": "Notes"},
    )


def poll_close(people):

    poll = gathering_services.create_poll(
        by=people["owner"],
        title="Préparation",
        dates=[timezone.now() + datetime.timedelta(days=3)],
    )
    return Form(poll.get_absolute_url(), reverse("polls:close", args=[poll.pk]))


NOBODY: set[str] = set()
OWNER = {"owner"}
FACILITATORS = {"facilitator", "administrator"}
OWNER_AND_FACILITATORS = OWNER | FACILITATORS
SIGNED_IN = set(ROLES) - {"anonymous"}

# Each case, and who is offered its form: the rule, written out. The test then checks that
# exactly these people can also save it.
# --- Moving in (issue 22) ------------------------------------------------------------------------


def checklist_dismiss(people):
    return Form("/", reverse("settings:dismiss-checklist"), {"next": "/"})


def settings_rules(people):
    return Form(
        reverse("settings:index"),
        reverse("settings:rules"),
        {
            "membership_min_sessions": 2,
            "membership_window_days": 365,
            "discussion_days": 7,
            "vote_days": 7,
            "vote_quorum_percent": 10,
        },
    )


CASES: dict[str, tuple[Callable, set[str]]] = {
    "plenary_notes_by_a_workshop_proposer": (
        plenary_notes_by_a_workshop_proposer,
        OWNER_AND_FACILITATORS,
    ),
    "plenary_notes_by_someone_ticked_present": (
        plenary_notes_by_someone_ticked_present,
        OWNER_AND_FACILITATORS,
    ),
    "plenary_notes_by_a_host": (plenary_notes_by_a_host, OWNER_AND_FACILITATORS),
    "plenary_notes_before_the_meeting": (plenary_notes_before_the_meeting, NOBODY),
    "workshop_notes_by_its_proposer": (workshop_notes_by_its_proposer, OWNER_AND_FACILITATORS),
    "workshop_notes_by_someone_who_only_signed_up": (
        workshop_notes_by_someone_who_only_signed_up,
        FACILITATORS,
    ),
    "workshop_edit": (workshop_edit, OWNER_AND_FACILITATORS),
    "workshop_hide": (workshop_hide, FACILITATORS),
    "workshop_sign_up": (workshop_sign_up, SIGNED_IN),
    "workshop_sign_up_after_the_meeting": (workshop_sign_up_after_the_meeting, NOBODY),
    "workshop_propose": (workshop_propose, SIGNED_IN),
    "workshop_propose_after_the_meeting": (workshop_propose_after_the_meeting, NOBODY),
    "meeting_host": (meeting_host, SIGNED_IN),
    "meeting_host_after_the_meeting": (meeting_host_after_the_meeting, NOBODY),
    "meeting_new": (meeting_new, FACILITATORS),
    "meeting_edit": (meeting_edit, FACILITATORS),
    "meeting_cancel": (meeting_cancel, FACILITATORS),
    "meeting_reinstate": (meeting_reinstate, FACILITATORS),
    "venue_new": (venue_new, FACILITATORS),
    "venue_edit": (venue_edit, FACILITATORS),
    "attendance_walk_in": (attendance_walk_in, FACILITATORS),
    "commons_edit": (commons_edit, OWNER_AND_FACILITATORS),
    "commons_assess": (commons_assess, OWNER_AND_FACILITATORS),
    "commons_confirm": (commons_confirm, OWNER_AND_FACILITATORS),
    "commons_moderate": (commons_moderate, FACILITATORS),
    "commons_propose": (commons_propose, SIGNED_IN),
    "decision_comment": (decision_comment, SIGNED_IN),
    "decision_proposal": (decision_proposal, OWNER),
    "decision_withdraw": (decision_withdraw, OWNER_AND_FACILITATORS),
    "decision_vote": (decision_vote, {"member"}),
    "decision_statement": (decision_statement, FACILITATORS),
    "comment_edit": (comment_edit, OWNER),
    "comment_hide": (comment_hide, FACILITATORS),
    "new_round": (new_round, OWNER),
    "charter_amend": (charter_amend, SIGNED_IN),
    "charter_conflict_resolution": (charter_conflict_resolution, FACILITATORS),
    "membership_declaration": (membership_declaration, OWNER),
    "checklist_dismiss": (checklist_dismiss, {"administrator"}),
    "settings_rules": (settings_rules, {"administrator"}),
    "gathering_new": (gathering_new, FACILITATORS),
    "gathering_register": (gathering_register, SIGNED_IN),
    "gathering_propose": (gathering_propose, SIGNED_IN),
    "gathering_organise_track": (gathering_organise_track, OWNER),
    "gathering_organise_walk": (gathering_organise_walk, OWNER),
    "gathering_walk_stop": (gathering_walk_stop, OWNER),
    "session_register": (session_register, SIGNED_IN),
    "session_review": (session_review, OWNER),
    "session_notes_by_a_registrant": (session_notes_by_a_registrant, OWNER),
    "poll_close": (poll_close, OWNER),
}


def is_shown(html: str, action: str) -> bool:
    """The page holds a form posting to the action, or a link to the page that holds it."""
    escaped = action.replace("&", "&amp;")
    return f'action="{escaped}"' in html or f'href="{escaped}"' in html


def is_accepted(response) -> bool:
    """Posting was let through: not refused, not sent to sign in, no error message back."""
    if response.status_code in (403, 404, 405):
        return False
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return False
    return not any(m.level == ERROR for m in get_messages(response.wsgi_request))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", list(CASES))
def test_form_is_shown_exactly_when_saving_it_is_allowed(client, case, role):
    build, offered_to = CASES[case]
    people = _people()
    form = build(people)
    if role != "anonymous":
        client.force_login(people[role])
    page = client.get(form.page)
    shown = page.status_code == 200 and is_shown(page.content.decode(), form.action)
    accepted = is_accepted(client.post(form.action, form.data))
    assert shown == (role in offered_to), (
        f"{case} as {role}: the page {'shows' if shown else 'hides'} the form"
    )
    assert shown == accepted, (
        f"{case} as {role}: the page {'shows' if shown else 'hides'} the form, "
        f"and posting it is {'accepted' if accepted else 'refused'}"
    )
