"""Every form a person can submit, posted 300 times with odd input through the test client.

Whatever arrives (long strings, right-to-left text, combining marks, emoji, NUL bytes, numbers at
their limits, times that daylight saving skips or repeats, broken coordinates, missing fields), the
answer is never a 500, a refusal is always said on the page (the form shown again with its errors,
or a redirect carrying an error message) and leaves every table as it was, and an acceptance saves
exactly the rows it should. Each example runs in its own transaction, rolled back afterwards.
"""

import dataclasses
import os
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.messages import ERROR, get_messages
from django.core.cache import cache
from django.db import connection, transaction
from django.forms import BaseForm
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from charter.models import Amendment
from commons_registry.models import Commons, OstromAssessment
from decisions.models import Comment, Decision, Vote
from tests import test_forms_match_permissions as offered
from tests.commons_registry.factories import CommonsFactory, category
from tests.decisions.factories import discussion
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


def _action(builder):
    def build(people):
        form = builder(people)
        return form.action, form.data

    return build


# --- Builders for the forms test_forms_match_permissions does not cover ---------------------------


def profile(people):
    return reverse("me"), {}


def sign_up(people):
    return reverse("account_signup"), {}


def discussion_new(people):
    return reverse("decisions:new"), {}


def commons_propose(people):
    CommonsFactory(name="Jardin partagé")  # a name to collide with
    return reverse("commons:propose"), {"category": category().pk}


def commons_edit(people):
    commons = CommonsFactory(stewards=[people["owner"]])
    return reverse("commons:edit", args=[commons.slug]), {"category": commons.category_id}


def meeting_new(people):
    MeetingFactory()
    return reverse("meetings:new"), {}


def meeting_edit(people):
    meeting = MeetingFactory()
    return reverse("meetings:edit", args=[meeting.pk]), {"venue": meeting.venue_id}


def workshop_notes(people):
    workshop = offered.WorkshopFactory(meeting=PastMeetingFactory(), proposed_by=people["owner"])
    return reverse("workshops:notes", args=[workshop.pk]), {}


def comment_on(people):
    decision = discussion(people["owner"])
    return reverse("decisions:comment", args=[decision.pk]), {}


# --- The POST bodies ---------------------------------------------------------------------------------


def _sign_up_fields(valid):
    password = st.one_of(st.just("correct horse battery staple"), v.text)
    email = st.one_of(
        st.emails().filter(lambda address: len(address) < 200),
        st.sampled_from(["ana@example.org", "ana\x00@example.org", "ana@exämple.org"]),
        v.text,
    )
    return v.form(
        {"email": email, "display_name": v.text},
        {"password1": password, "password2": password},
    )


def _profile_fields(valid):
    return v.form(
        {"display_name": v.text},
        {
            "bio": v.text,
            "listed": v.boolean(),
            "wants_reminders": v.boolean(),
            "language": v.choice("fr", "en"),
        },
    )


def _commons_fields(valid):
    return v.form(
        {
            "name": v.text,
            "category": v.choice(str(valid["category"])),
            "status": v.choice("active"),
        },
        {
            "summary": v.text,
            "description": v.text,
            "resource": v.text,
            "community": v.text,
            "governance": v.text,
            "address": v.text,
            "latitude": v.coordinate,
            "longitude": v.coordinate,
            "website": st.one_of(st.sampled_from(["example.org", "https://é.fr/🙂"]), v.text),
            "contact_email": st.one_of(st.emails(), v.text),
            "licence": v.text,
            "founded_year": v.number,
        },
    )


def _assessment_fields(valid):
    levels = [str(level) for level in OstromAssessment.Level.values]
    required = {field: v.choice(*levels) for field, _ in OstromAssessment.PRINCIPLES}
    comments = {f"{field}_comment": v.text for field, _ in OstromAssessment.PRINCIPLES}
    return v.form(required, comments)


def _workshop_fields(valid):
    meeting = str(valid.get("meeting", ""))
    return v.form(
        {"title": v.text},
        {
            "meeting": v.choice(meeting),
            "description": v.text,
            "needs_work_tables": v.boolean(),
            "needs_projector": v.boolean(),
            "capacity": v.number,
            "related_commons": v.number,
        },
    )


def _notes_fields(valid):
    return v.form({}, {"notes": v.text})


def _meeting_fields(valid):
    venue = str(valid.get("venue", ""))
    return v.form(
        {"title": v.text, "starts_at": v.local_datetimes(), "ends_at": v.local_datetimes()},
        {
            "kind": v.choice(*Meeting.Kind.values),
            "venue": v.choice(venue, ""),
            "plenary_notes": v.text,
        },
    )


def _venue_fields(valid):
    return v.form(
        {"name": v.text},
        {
            "address": v.text,
            "latitude": v.coordinate,
            "longitude": v.coordinate,
            "accessibility": v.text,
            "has_work_tables": v.boolean(),
            "has_good_internet": v.boolean(),
        },
    )


def _walk_in_fields(valid):
    return v.form(
        {"display_name": v.text},
        {"email": st.one_of(st.emails(), v.text)},
    )


def _discussion_fields(valid):
    return v.form(
        {"title": v.text, "kind": v.choice(*Decision.Kind.values)},
        {"context": v.text, "proposal": v.text, "related_commons": v.number},
    )


def _text_fields(valid):
    return v.form({}, {"text": v.text})


def _vote_fields(valid):
    return v.form({"choice": v.choice(*Vote.Choice.values)}, {"reason": v.text})


def _amendment_fields(valid):
    return v.form(
        {
            "title": v.text,
            "summary": v.text,
            "text": v.text,
            "rationale": v.text,
            "base": st.just(str(valid["base"])),
        },  # hidden: an unknown version is a 404
    )


CASES = {
    "sign_up": Case(sign_up, "anonymous", _sign_up_fields, {get_user_model(): 1}),
    "profile": Case(profile, "participant", _profile_fields),
    "commons_propose": Case(commons_propose, "participant", _commons_fields, {Commons: 1}),
    "commons_edit": Case(commons_edit, "owner", _commons_fields),
    "ostrom_assessment": Case(
        _action(offered.commons_assess), "owner", _assessment_fields, {OstromAssessment: 1}
    ),
    "workshop_propose": Case(
        _action(offered.workshop_propose), "participant", _workshop_fields, {Workshop: 1}
    ),
    "workshop_edit": Case(_action(offered.workshop_edit), "owner", _workshop_fields),
    "workshop_notes": Case(workshop_notes, "owner", _notes_fields),
    "plenary_notes": Case(_action(offered.plenary_notes_by_a_host), "owner", _notes_fields),
    "meeting_new": Case(meeting_new, "facilitator", _meeting_fields, {Meeting: 1}),
    "meeting_edit": Case(meeting_edit, "facilitator", _meeting_fields),
    "venue_new": Case(_action(offered.venue_new), "facilitator", _venue_fields, {Venue: 1}),
    "venue_edit": Case(_action(offered.venue_edit), "facilitator", _venue_fields),
    "walk_in": Case(
        _action(offered.attendance_walk_in), "facilitator", _walk_in_fields, {Attendance: 1}
    ),
    "discussion": Case(discussion_new, "participant", _discussion_fields, {Decision: 1}),
    "proposal": Case(_action(offered.decision_proposal), "owner", _text_fields),
    "comment": Case(comment_on, "participant", _text_fields, {Comment: 1}),
    "comment_edit": Case(_action(offered.comment_edit), "owner", _text_fields),
    "vote": Case(_action(offered.decision_vote), "member", _vote_fields, {Vote: 1}),
    "amendment": Case(
        _action(offered.charter_amend), "participant", _amendment_fields, {Amendment: 1}
    ),
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


def check_answer(response, before, after, creates, data):
    status = response.status_code
    # 400: the vote form shown again with its errors (decisions/views/acting.py).
    assert status in (200, 302, 400), f"answered {status} to {data!r}"
    errors = [m for m in get_messages(response.wsgi_request) if m.level == ERROR]
    if status == 302:
        assert not response["Location"].startswith(reverse("account_login")), "sent to sign in"
    refused = status in (200, 400) or bool(errors)
    if refused:
        assert status == 302 or _forms_with_errors(response), (
            f"a 200 without any error on the form for {data!r}"
        )
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        assert not changed, f"refused, yet rows changed {changed} for {data!r}"
        return "refused"
    for model, added in creates.items():
        table = model._meta.db_table
        assert after[table] - before[table] == added, f"{table}: {before[table]} -> {after[table]}"
    return "accepted"


@pytest.mark.parametrize("name", list(CASES))
def test_form_answers_any_input_without_error_or_half_save(client, name):
    case = CASES[name]
    people = offered._people()
    action, valid = case.build(people)
    if case.role != "anonymous":
        client.force_login(people[case.role])
    tables = _tables()
    outcomes = set()

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
            outcomes.add(check_answer(response, before, after, case.creates, data))
            transaction.set_rollback(True)

    post_anything()
    # A form that creates rows must get through sometimes, or the fuzzing only knocked on a
    # closed door (optional notes and the profile may never refuse).
    assert outcomes
    if case.creates:
        assert "accepted" in outcomes, outcomes
