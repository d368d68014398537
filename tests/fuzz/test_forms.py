"""Every form a person can submit, posted 300 times with odd input through the test client.

Whatever arrives (long strings, right-to-left text, combining marks, emoji, NUL bytes, numbers at
their limits, times that daylight saving skips or repeats, broken coordinates, missing fields), the
answer is never a 500, a refusal is always said on the page (the form shown again with its errors,
or a redirect carrying an error message) and leaves every table as it was, and an acceptance says
so (a success message, or the page that confirms it) and saves exactly the rows it should. About a
third of the bodies are fully valid (see values.body), so every form must accept some of them.
Each example runs in its own transaction, rolled back afterwards.
"""

import dataclasses
import datetime
import os
from collections import Counter
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.messages import ERROR, INFO, SUCCESS, get_messages
from django.core.cache import cache
from django.db import connection, transaction
from django.forms import BaseForm
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from assembly.models import FacilitatorInvitation, Frequency, Subscriber, Topic
from budget.models import Entry, FinanceProposal
from chantiers.models import Card, Chantier
from charter.models import Amendment, CharterVersion
from commons_registry.models import Commons, OstromAssessment
from decisions.models import Comment, Decision, Vote
from gatherings import services as gathering_services
from gatherings.models import (
    Format,
    Gathering,
    Parcours,
    PollAnswer,
    Session,
    Stop,
    Volunteer,
)
from tests import test_forms_match_permissions as offered
from tests.budget.factories import adopted_line
from tests.chantiers.factories import chantier_with
from tests.commons_registry.factories import CommonsFactory, category
from tests.decisions.factories import discussion
from tests.gatherings.factories import day_at
from tests.gatherings.factories import gathering as gathering_for
from tests.workshops.factories import MeetingFactory, PastMeetingFactory
from workshops.models import Attendance, Meeting, Venue, Workshop

from . import values as v

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
# FUZZ_SHRINK=0 reports the first failing input as found, without minutes of shrinking it.
PHASES = list(Phase) if os.environ.get("FUZZ_SHRINK", "1") == "1" else [Phase.generate]


@dataclasses.dataclass
class Case:
    build: Callable  # people -> (action URL, {name: valid value} the strategy may draw)
    role: str  # who posts: a role that may submit the form
    fields: Callable  # valid values -> strategy of POST bodies
    creates: dict = dataclasses.field(default_factory=dict)  # model -> rows added on success
    done_template: str = ""  # a page (status 200) that says the form was accepted, if no redirect


def _action(builder):
    def build(people):
        form = builder(people)
        return form.action, form.data

    return build


# --- Builders: the page to post to, and the valid values the strategies may draw ---------------------


def _published_commons():
    return [str(CommonsFactory().pk)]


def profile(people):
    return reverse("me"), {}


def sign_up(people):
    return reverse("account_signup"), {}


def discussion_new(people):
    return reverse("decisions:new"), {"published_commons": _published_commons()}


def commons_propose(people):
    CommonsFactory(name="Jardin partagé")  # a name to collide with
    return reverse("commons:propose"), {"category": category().pk}


def commons_edit(people):
    commons = CommonsFactory(stewards=[people["owner"]])
    return reverse("commons:edit", args=[commons.slug]), {"category": commons.category_id}


def workshop_propose(people):
    action, valid = _action(offered.workshop_propose)(people)
    return action, {**valid, "published_commons": _published_commons()}


def workshop_edit(people):
    action, valid = _action(offered.workshop_edit)(people)
    return action, {**valid, "published_commons": _published_commons()}


def meeting_new(people):
    meeting = MeetingFactory()
    return reverse("meetings:new"), {"venue": meeting.venue_id}


def meeting_edit(people):
    meeting = MeetingFactory()
    return reverse("meetings:edit", args=[meeting.pk]), {"venue": meeting.venue_id}


def workshop_notes(people):
    workshop = offered.WorkshopFactory(meeting=PastMeetingFactory(), proposed_by=people["owner"])
    return reverse("workshops:notes", args=[workshop.pk]), {}


def walk_in(people):
    workshop = offered.WorkshopFactory()
    return reverse("meetings:walk-in", args=[workshop.meeting_id]), {"workshop": workshop.pk}


def subscribe(people):
    return reverse("subscribe"), {}


def notifications(people):
    return reverse("me-notifications"), {}


def chantier_new(people):
    return reverse("chantiers:new"), {"published_commons": _published_commons()}


def card_new(people):
    chantier = chantier_with(people["owner"], members=[people["participant"]])
    action = reverse("chantiers:card-new", args=[chantier.pk])
    return action, {"assignee": people["participant"].pk}


def budget_propose(people):
    chantier = chantier_with(people["participant"])
    return reverse("budget:propose"), {"chantier": chantier.pk}


def income_new(people):
    return reverse("budget:income-new"), {}


def comment_on(people):
    decision = discussion(people["owner"])
    return reverse("decisions:comment", args=[decision.pk]), {}


def expense_new(people):
    # As much money as the form can take, so that any valid amount fits on the line.
    line = adopted_line(amount="9999999999.99")
    valid = {"line": line.pk, "from": line.valid_from, "until": line.valid_until}
    return reverse("budget:expense-new"), valid


def chantier_edit(people):
    chantier = chantier_with(people["owner"])
    action = reverse("chantiers:edit", args=[chantier.pk])
    return action, {"published_commons": _published_commons()}


def card_edit(people):
    chantier = chantier_with(people["owner"], members=[people["participant"]], cards=2)
    card = chantier.cards.order_by("pk").first()
    action = reverse("chantiers:card", args=[chantier.pk, card.pk])
    return action, {"assignee": people["participant"].pk}


def gathering_new(people):
    gathering_for(slug="deja-pris")  # a short name to collide with
    return reverse("gatherings:new"), {}


def session_propose(people):
    gathering = gathering_for(organiser=people["owner"])
    formats = [str(pk) for pk in Format.objects.filter(gathering=None).values_list("pk", flat=True)]
    return reverse("gatherings:propose", args=[gathering.slug]), {
        "formats": formats,
        "track": str(gathering.tracks.get().pk),
    }


def volunteer(people):
    gathering = gathering_for(organiser=people["owner"])
    formats = [str(pk) for pk in Format.objects.filter(gathering=None).values_list("pk", flat=True)]
    return reverse("gatherings:volunteer", args=[gathering.slug]), {"formats": formats}


def walk_new(people):
    gathering = gathering_for(organiser=people["owner"])
    return reverse("gatherings:organise-walk", args=[gathering.slug]), {
        "track": str(gathering.tracks.get().pk)
    }


def walk_stop(people):
    gathering = gathering_for(organiser=people["owner"])
    walk = gathering_services.add_parcours(gathering, "Parcours", [])
    return reverse("gatherings:organise-walk-change", args=[gathering.slug, walk.pk]), {
        "sites": [str(pk) for pk in gathering.sites.values_list("pk", flat=True)],
        "times": [
            day_at(gathering, day, hour).strftime("%Y-%m-%dT%H:%M")
            for day in (0, 1)
            for hour in (9, 12, 17)
        ],
    }


def poll_new(people):
    return reverse("polls:list"), {"gathering": str(gathering_for().pk)}


def poll_answer(people):
    gathering = gathering_for()
    poll = gathering_services.create_poll(
        by=people["owner"],
        title="Préparation",
        dates=[day_at(gathering, 0, 18), day_at(gathering, 1, 18)],
    )
    return poll.get_absolute_url(), {"dates": list(poll.dates.values_list("pk", flat=True))}


# --- The POST bodies ---------------------------------------------------------------------------------

TITLE = v.Field(v.valid_text(200))
OPTIONAL_TEXT = v.Field(v.optional_text(), required=False)
EMAIL_ODD = st.one_of(
    st.emails(),
    st.sampled_from(["ana\x00@example.org", "ana@exämple.org", "ana@", "@example.org", "a" * 300]),
    v.text,
)
# Strong enough for the password validators, and far from any name or address drawn with it.
PASSWORD = st.one_of(
    st.just("correct horse battery staple"),
    st.text(v.PRINTABLE, min_size=12, max_size=60).filter(lambda word: len(word.strip()) >= 12),
)


def _sign_up_fields(valid):
    fields = {
        "email": v.Field(v.valid_emails(), EMAIL_ODD),
        "display_name": v.Field(v.valid_text(150)),
        "password1": v.Field(PASSWORD),
        "password2": v.Field(PASSWORD),
    }
    matching = st.builds(
        lambda email, name, password: {
            "email": email,
            "display_name": name,
            "password1": password,
            "password2": password,
        },
        v.valid_emails(),
        v.valid_text(150),
        PASSWORD,
    )
    return v.body(fields, valid=matching)


def _subscribe_fields(valid):
    return v.body({"email": v.Field(v.valid_emails(), EMAIL_ODD), "language": v.choice("fr", "en")})


def _profile_fields(valid):
    return v.body(
        {
            "display_name": v.Field(v.valid_text(150)),
            "bio": OPTIONAL_TEXT,
            "listed": v.boolean(),
            "language": v.choice("fr", "en"),
        }
    )


def _commons_fields(valid):
    return v.body(
        {
            "name": TITLE,
            "summary": v.Field(v.valid_text(280)),
            "category": v.choice(str(valid["category"]), odd=v.number),
            "status": v.choice(*Commons.Status.values),
            "description": OPTIONAL_TEXT,
            "resource": OPTIONAL_TEXT,
            "community": OPTIONAL_TEXT,
            "governance": OPTIONAL_TEXT,
            "address": v.Field(v.optional_text(300), required=False),
            "latitude": v.Field(v.valid_coordinates(90), v.coordinate),
            "longitude": v.Field(v.valid_coordinates(180), v.coordinate),
            "website": v.Field(
                st.sampled_from(["", "example.org", "https://assemblee.example/communs/"]),
                st.one_of(
                    st.sampled_from(["https://é.fr/🙂", "javascript:alert(1)", "http://"]), v.text
                ),
                required=False,
            ),
            "contact_email": v.Field(
                st.one_of(st.just(""), v.valid_emails()), EMAIL_ODD, required=False
            ),
            "licence": v.Field(v.optional_text(100), required=False),
            "founded_year": v.Field(
                st.one_of(st.just(""), v.valid_integers(1000, 2100)), v.number, required=False
            ),
        }
    )


def _assessment_fields(valid):
    levels = OstromAssessment.Level.values
    fields = {field: v.choice(*levels) for field, _ in OstromAssessment.PRINCIPLES}
    fields |= {f"{field}_comment": OPTIONAL_TEXT for field, _ in OstromAssessment.PRINCIPLES}
    return v.body(fields)


# A hybrid meeting's or workshop's visio link (assembly/online_links.py): a web address only.
ONLINE_LINK = v.Field(
    st.sampled_from(["", "visio.example.org/salle", "https://visio.example.org/salle-1"]),
    st.one_of(
        st.sampled_from(["javascript:alert(1)", "data:text/html,x", "ftp://visio.example.org/"]),
        v.text,
    ),
    required=False,
)


def _workshop_fields(valid):
    return v.body(
        {
            "meeting": v.choice(str(valid.get("meeting", "")), odd=v.number),
            "title": TITLE,
            "description": OPTIONAL_TEXT,
            "needs_work_tables": v.boolean(),
            "needs_whiteboard": v.boolean(),
            "needs_projector": v.boolean(),
            "needs_good_internet": v.boolean(),
            "capacity": v.Field(
                st.one_of(st.just(""), v.valid_integers(1, 32767)), v.number, required=False
            ),
            "related_commons": v.Field(
                st.sampled_from(valid["published_commons"]), v.number, required=False
            ),
            "online_link": ONLINE_LINK,
        }
    )


def _notes_fields(valid):
    return v.body(
        {
            "notes": OPTIONAL_TEXT,
            "revision": v.Field(st.just(""), v.number, required=False),
        }
    )


def _meeting_fields(valid):
    fields = {
        "kind": v.choice(*Meeting.Kind.values),
        "title": TITLE,
        "starts_at": v.Field(v.valid_periods().map(lambda period: period[0]), v.local_datetimes()),
        "ends_at": v.Field(v.valid_periods().map(lambda period: period[1]), v.local_datetimes()),
        "venue": v.choice(str(valid["venue"]), "", odd=v.number),
        "plenary_notes": OPTIONAL_TEXT,
        "online_link": ONLINE_LINK,
    }
    whole = st.builds(
        lambda kind, title, period, venue, notes, link: {
            "kind": kind,
            "title": title,
            "starts_at": period[0],
            "ends_at": period[1],
            "venue": venue,
            "plenary_notes": notes,
            "online_link": link,
        },
        fields["kind"].valid,
        TITLE.valid,
        v.valid_periods(),
        fields["venue"].valid,
        OPTIONAL_TEXT.valid,
        ONLINE_LINK.valid,
    )
    return v.body(fields, valid=whole)


def _venue_fields(valid):
    return v.body(
        {
            "name": TITLE,
            "address": v.Field(v.optional_text(300), required=False),
            "latitude": v.Field(v.valid_coordinates(90), v.coordinate),
            "longitude": v.Field(v.valid_coordinates(180), v.coordinate),
            "accessibility": OPTIONAL_TEXT,
            "has_work_tables": v.boolean(),
            "has_whiteboard": v.boolean(),
            "has_projector": v.boolean(),
            "has_good_internet": v.boolean(),
        }
    )


def _walk_in_fields(valid):
    return v.body(
        {
            "display_name": v.Field(v.valid_text(150)),
            "email": v.Field(st.one_of(st.just(""), v.valid_emails()), EMAIL_ODD, required=False),
            "workshop": v.choice("", str(valid["workshop"]), odd=v.number, required=False),
        }
    )


def _discussion_fields(valid):
    return v.body(
        {
            "title": TITLE,
            "kind": v.choice(Decision.Kind.OTHER, Decision.Kind.PUBLIC_POSITION),
            "context": OPTIONAL_TEXT,
            "proposal": OPTIONAL_TEXT,
            "related_commons": v.Field(
                st.sampled_from(valid["published_commons"]), v.number, required=False
            ),
        }
    )


def _identity_fields(valid):
    return v.body(
        {
            "name": TITLE,
            "city": v.Field(v.optional_text(120), required=False),
            "tagline": v.Field(v.optional_text(300), required=False),
            "contact_email": v.Field(v.valid_emails(), EMAIL_ODD, required=False),
            "languages": v.choice("fr", "en"),
            "map_latitude": v.Field(v.valid_coordinates(90), v.coordinate, required=False),
            "map_longitude": v.Field(v.valid_coordinates(180), v.coordinate, required=False),
        },
        valid=st.fixed_dictionaries(
            {"name": TITLE.valid, "languages": st.sampled_from(["fr", "en"])},
            optional={
                "city": v.optional_text(120),
                "contact_email": v.valid_emails(),
            },
        ),
    )


def _rules_fields(valid):
    return v.body(
        {
            "membership_min_sessions": v.Field(v.valid_integers(1, 50), v.number),
            "membership_window_days": v.Field(v.valid_integers(1, 3650), v.number),
            "discussion_days": v.Field(v.valid_integers(1, 60), v.number),
            "vote_days": v.Field(v.valid_integers(1, 60), v.number),
            "vote_quorum_percent": v.Field(v.valid_integers(0, 100), v.number),
        }
    )


def _invite_fields(valid):
    return v.body(
        {
            "action": v.choice("invite"),
            "email": v.Field(v.valid_emails(), EMAIL_ODD),
        }
    )


def _text_fields(valid):
    return v.body({"text": v.Field(v.valid_text())})


def _vote_fields(valid):
    return v.body(
        {
            "choice": v.choice(*Vote.Choice.values),
            "reason": v.Field(v.valid_text(), required=False),  # an objection needs one
        }
    )


def _amendment_fields(valid):
    fields = {
        "title": TITLE,
        "summary": v.Field(v.valid_text()),
        "text": v.Field(st.builds(lambda more: valid["text"] + more, v.valid_text())),
        "rationale": v.Field(v.valid_text()),
    }
    # The hidden version the text was drafted from: a version that does not exist is a 404.
    return v.body(fields).map(lambda data: {**data, "base": str(valid["base"])})


def _notifications_fields(valid):
    frequencies = Frequency.values
    return v.body({topic: v.choice(*frequencies) for topic in Topic.values})


def _cancel_fields(valid):
    return v.body({"reason": v.Field(v.valid_text())})


def _new_round_fields(valid):
    return v.body(
        {
            "title": TITLE,
            "context": OPTIONAL_TEXT,
            "proposal": OPTIONAL_TEXT,
            # Disabled on this form: whatever is sent, the first round's values are kept.
            "kind": v.choice(Decision.Kind.OTHER, required=False),
            "related_commons": v.Field(st.just(""), v.number, required=False),
        }
    )


def _statement_fields(valid):
    return v.body(
        {
            "outcome_statement": OPTIONAL_TEXT,
            "review_on": v.Field(st.one_of(st.just(""), v.valid_dates()), v.dates(), False),
        }
    )


def _chantier_fields(valid):
    return v.body(
        {
            "title": TITLE,
            "purpose": OPTIONAL_TEXT,
            "related_commons": v.Field(
                st.sampled_from(valid["published_commons"]), v.number, required=False
            ),
        }
    )


def _card_fields(valid):
    return v.body(
        {
            "title": TITLE,
            "description": OPTIONAL_TEXT,
            "assignee": v.choice("", str(valid["assignee"]), odd=v.number, required=False),
            "due_on": v.Field(st.one_of(st.just(""), v.valid_dates()), v.dates(), False),
        }
    )


def _chantier_edit_fields(valid):
    column_name = v.Field(v.optional_text(60), required=False)
    return v.body(
        {
            "title": TITLE,
            "purpose": OPTIONAL_TEXT,
            "status": v.choice(*Chantier.Status.values),
            "related_commons": v.Field(
                st.sampled_from(valid["published_commons"]), v.number, required=False
            ),
            "todo_name": column_name,
            "doing_name": column_name,
            "done_name": column_name,
        }
    )


def _resolution_fields(valid):
    return v.body(
        {
            "text": v.Field(st.builds(lambda more: valid["text"] + more, v.valid_text())),
            "note": v.Field(v.optional_text(300), required=False),
        }
    )


AMOUNT = v.Field(v.valid_amounts(), v.number)


def _budget_propose_fields(valid):
    return v.body(
        {
            "title": TITLE,
            "context": v.Field(v.valid_text()),
            "amount": AMOUNT,
            "purpose": v.Field(v.valid_text(300)),
            "chantier": v.choice("", str(valid["chantier"]), odd=v.number, required=False),
            "valid_until": v.Field(v.valid_dates(), v.dates()),
        }
    )


def _income_fields(valid):
    return v.body(
        {
            "date": v.Field(v.valid_dates(datetime.date(2000, 1, 1)), v.dates()),
            "amount": AMOUNT,
            "counterparty": v.Field(v.valid_text(200)),
            "description": v.Field(v.optional_text(300), required=False),
        }
    )


def _expense_fields(valid):
    return v.body(
        {
            "line": v.choice(str(valid["line"]), odd=v.number),
            "date": v.Field(v.valid_dates(valid["from"], valid["until"]), v.dates()),
            "amount": AMOUNT,
            "counterparty": v.Field(v.valid_text(200)),
            "description": v.Field(v.optional_text(300), required=False),
            "receipt": v.Field(v.valid_receipts(), v.receipts(), required=False),
        }
    )


SLUG = v.Field(
    st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,79}\Z"), st.one_of(v.text, st.just("deja-pris"))
)


def _gathering_fields(valid):
    fields = {
        "title": TITLE,
        "slug": SLUG,
        "starts_on": v.Field(v.valid_dates(), v.dates()),
        "ends_on": v.Field(v.valid_dates(), v.dates()),
        "description": OPTIONAL_TEXT,
        "registration_open": v.boolean(),
        "capacity": v.Field(
            st.one_of(st.just(""), v.valid_integers(1, 2147483647)), v.number, required=False
        ),
        "call_open": v.boolean(),
        "counts_for_membership": v.boolean(),
        "workshop_split_threshold": v.Field(v.valid_integers(0, 2147483647), v.number),
        "plenary_split_threshold": v.Field(v.valid_integers(0, 2147483647), v.number),
    }
    whole = st.builds(
        lambda title, slug, first, days, threshold: {
            "title": title,
            "slug": slug,
            "starts_on": first.isoformat(),
            "ends_on": (first + datetime.timedelta(days=days)).isoformat(),
            "workshop_split_threshold": threshold,
            "plenary_split_threshold": threshold,
        },
        TITLE.valid,
        SLUG.valid.filter(lambda slug: slug != "deja-pris"),
        st.dates(datetime.date(2027, 1, 1), datetime.date(2035, 12, 31)),
        st.integers(0, 5),
        v.valid_integers(0, 1000),
    )
    return v.body(fields, valid=whole)


def _proposal_fields(valid):
    return v.body(
        {
            "title": TITLE,
            "format": v.choice(*valid["formats"], odd=v.number),
            "track": v.choice("", valid["track"], odd=v.number, required=False),
            "description": OPTIONAL_TEXT,
            "needs": OPTIONAL_TEXT,
            "preferred_slot": v.Field(v.optional_text(200), required=False),
        }
    )


def _volunteer_fields(valid):
    return v.body(
        {
            "formats": v.Field(st.sampled_from(valid["formats"]), v.number, required=False),
            "availability": OPTIONAL_TEXT,
        }
    )


def _poll_fields(valid):
    lines = st.lists(v.valid_periods().map(lambda period: period[0]), min_size=1, max_size=8)
    return v.body(
        {
            "title": TITLE,
            "description": v.Field(v.optional_text(4000), required=False),
            "dates": v.Field(lines.map("\n".join), st.one_of(v.text, v.local_datetimes())),
            "gathering": v.choice("", valid["gathering"], odd=v.number, required=False),
        }
    )


def _walk_fields(valid):
    return v.body(
        {
            "title": TITLE,
            "track": v.choice("", valid["track"], odd=v.number, required=False),
        }
    )


def _stop_fields(valid):
    return v.body(
        {
            "action": v.choice("add-stop"),
            "site": v.choice(*valid["sites"], odd=v.number),
            "arrives_at": v.Field(st.sampled_from(valid["times"]), v.local_datetimes()),
        }
    )


def _poll_answer_fields(valid):
    fields = {"name": v.Field(v.valid_text(80))}
    for pk in valid["dates"]:
        fields[f"date_{pk}"] = v.choice("yes", "maybe", "no")
    return v.body(fields)


CASES = {
    "sign_up": Case(sign_up, "anonymous", _sign_up_fields, {get_user_model(): 1}),
    "profile": Case(profile, "participant", _profile_fields),
    "subscribe": Case(
        subscribe,
        "anonymous",
        _subscribe_fields,
        {Subscriber: 1},
        done_template="assembly/subscribe_sent.html",
    ),
    "commons_propose": Case(commons_propose, "participant", _commons_fields, {Commons: 1}),
    "commons_edit": Case(commons_edit, "owner", _commons_fields),
    "ostrom_assessment": Case(
        _action(offered.commons_assess), "owner", _assessment_fields, {OstromAssessment: 1}
    ),
    "workshop_propose": Case(workshop_propose, "participant", _workshop_fields, {Workshop: 1}),
    "workshop_edit": Case(workshop_edit, "owner", _workshop_fields),
    "workshop_notes": Case(workshop_notes, "owner", _notes_fields),
    "plenary_notes": Case(_action(offered.plenary_notes_by_a_host), "owner", _notes_fields),
    "meeting_new": Case(meeting_new, "facilitator", _meeting_fields, {Meeting: 1}),
    "meeting_edit": Case(meeting_edit, "facilitator", _meeting_fields),
    "venue_new": Case(_action(offered.venue_new), "facilitator", _venue_fields, {Venue: 1}),
    "venue_edit": Case(_action(offered.venue_edit), "facilitator", _venue_fields),
    "walk_in": Case(walk_in, "facilitator", _walk_in_fields, {Attendance: 1}),
    "discussion": Case(discussion_new, "participant", _discussion_fields, {Decision: 1}),
    "proposal": Case(_action(offered.decision_proposal), "owner", _text_fields),
    "comment": Case(comment_on, "participant", _text_fields, {Comment: 1}),
    "comment_edit": Case(_action(offered.comment_edit), "owner", _text_fields),
    "vote": Case(_action(offered.decision_vote), "member", _vote_fields, {Vote: 1}),
    "amendment": Case(
        _action(offered.charter_amend), "participant", _amendment_fields, {Amendment: 1}
    ),
    # Beyond the list: every other form with free text, a date or an amount.
    "notifications": Case(notifications, "participant", _notifications_fields),
    "meeting_cancel": Case(_action(offered.meeting_cancel), "facilitator", _cancel_fields),
    "new_round": Case(_action(offered.new_round), "owner", _new_round_fields, {Decision: 1}),
    "statement": Case(_action(offered.decision_statement), "facilitator", _statement_fields),
    "chantier_new": Case(chantier_new, "participant", _chantier_fields, {Chantier: 1}),
    "card_new": Case(card_new, "owner", _card_fields, {Card: 1}),
    "budget_propose": Case(
        budget_propose, "participant", _budget_propose_fields, {FinanceProposal: 1}
    ),
    "income_new": Case(income_new, "facilitator", _income_fields, {Entry: 1}),
    "expense_new": Case(expense_new, "facilitator", _expense_fields, {Entry: 1}),
    "conflict_resolution": Case(
        _action(offered.charter_conflict_resolution),
        "facilitator",
        _resolution_fields,
        {CharterVersion: 1},
    ),
    "chantier_edit": Case(chantier_edit, "owner", _chantier_edit_fields),
    "card_edit": Case(card_edit, "participant", _card_fields),
    # Moving in (issue 22): the administrators' settings.
    "settings_identity": Case(
        lambda people: (reverse("settings:identity"), {}), "administrator", _identity_fields
    ),
    "settings_rules": Case(_action(offered.settings_rules), "administrator", _rules_fields),
    "facilitator_invite": Case(
        lambda people: (reverse("settings:facilitators"), {}),
        "administrator",
        _invite_fields,
        {FacilitatorInvitation: 1},
    ),
    "gathering_new": Case(gathering_new, "facilitator", _gathering_fields, {Gathering: 1}),
    "session_propose": Case(session_propose, "participant", _proposal_fields, {Session: 1}),
    "volunteer": Case(volunteer, "participant", _volunteer_fields, {Volunteer: 1}),
    "walk_new": Case(walk_new, "owner", _walk_fields, {Parcours: 1}),
    "walk_stop": Case(walk_stop, "owner", _stop_fields, {Stop: 1}),
    "poll_new": Case(poll_new, "participant", _poll_fields),
    "poll_answer": Case(poll_answer, "anonymous", _poll_answer_fields, {PollAnswer: 1}),
}


# --- What the database and the person see --------------------------------------------------------------


def _tables():
    # Sessions come and go with messages and sign-in, and the configuration row is made on its
    # first read; everything else must hold still on refusal.
    ignored = {"django_session", "assembly_assemblyconfiguration"}
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.db_table not in ignored
    )


def row_counts(tables) -> dict:
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _forms_with_errors(response) -> list:
    contexts = response.context if isinstance(response.context, list) else [response.context]
    found = []
    for context in contexts:
        if context is None:
            continue
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.is_bound and value.errors:
                found.append(value)
    return found


def _errors_not_shown(response) -> list[str]:
    """The form's errors that the page does not show (a hidden field's, one the template forgot)."""
    page = response.content.decode()
    return [
        str(message)
        for form in _forms_with_errors(response)
        for messages in form.errors.values()
        for message in messages
        if escape(message) not in page
    ]


def check_answer(response, before, after, case, data):
    status = response.status_code
    # 400: the vote form shown again with its errors (decisions/views/acting.py).
    assert status in (200, 302, 400), f"answered {status} to {data!r}"
    said = list(get_messages(response.wsgi_request))
    errors = [m for m in said if m.level == ERROR]
    if status == 302:
        assert not response["Location"].startswith(reverse("account_login")), "sent to sign in"
    templates = {template.name for template in response.templates}
    done = status == 200 and case.done_template in templates
    refused = not done and (status in (200, 400) or bool(errors))
    if refused:
        assert status == 302 or _forms_with_errors(response), (
            f"a {status} without any error on the form for {data!r}"
        )
        unsaid = _errors_not_shown(response) if status != 302 else []
        assert not unsaid, f"refused, but the page does not say {unsaid} for {data!r}"
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        assert not changed, f"refused, yet rows changed {changed} for {data!r}"
        return "refused"
    # A redirect that accepts says so: a silent one may be a refusal nobody was told about.
    assert done or any(m.level in (SUCCESS, INFO) for m in said), (
        f"redirected to {response['Location']} without a word for {data!r}"
    )
    for model, added in case.creates.items():
        table = model._meta.db_table
        assert after[table] - before[table] == added, f"{table}: {before[table]} -> {after[table]}"
    return "accepted"


@pytest.fixture
def media_root(settings, tmp_path):
    """Receipts the expense form accepts are written here, not in var/media."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize("name", list(CASES))
def test_form_answers_any_input_without_error_or_half_save(client, media_root, name):
    case = CASES[name]
    people = offered._people()
    action, valid = case.build(people)
    if case.role != "anonymous":
        client.force_login(people[case.role])
    tables = _tables()
    outcomes = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=PHASES,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(data=case.fields(valid))
    def post_anything(data):
        cache.clear()  # rate limits must not turn later examples into refusals
        client.cookies.pop("messages", None)  # an earlier example's messages, never displayed
        with transaction.atomic():
            before = row_counts(tables)
            response = client.post(action, data)
            after = row_counts(tables)
            outcomes[check_answer(response, before, after, case, data)] += 1
            transaction.set_rollback(True)

    post_anything()
    # Every form must get through sometimes (a third of the bodies are valid), or the fuzzing
    # only knocked on a closed door.
    assert outcomes["accepted"], outcomes
