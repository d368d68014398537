"""Past attendance from a sheet (workshops/history.py): meetings created as held and imported,
people found by e-mail then by folded name, ambiguity left to a person, newcomers like walk-ins,
idempotence, who becomes eligible, and no membership e-mail — then or at the nightly notices."""

import datetime

import pytest
import time_machine
from django.db import transaction
from django.utils import translation

from assembly.models import Delivery, User
from tests.factories import UserFactory
from tests.membership.factories import AttendanceFactory, MeetingFactory, paris
from workshops import history
from workshops.models import Attendance, Meeting, Workshop
from workshops.tasks import recompute_memberships

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 4)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def lines(*rows):
    """Numbered as a spreadsheet shows them: the header is line 1."""
    return [(number, row) for number, row in enumerate(rows, start=2)]


def run(*rows, today=TODAY):
    with (
        time_machine.travel(paris(today.year, today.month, today.day, 10), tick=False),
        transaction.atomic(),
    ):
        planned = history.plan(lines(*rows), today=today)
        errors = [line for line in planned if line.outcome == "error"]
        applied = None if errors else history.apply(planned, today=today)
    return Planned(planned), applied


class Planned(list):
    """The planned lines, and what they bring (history.summarise)."""

    @property
    def lines(self):
        return self

    def summary(self):
        return history.summarise(self, TODAY)


def outcomes(plan):
    return [(line.number, line.outcome) for line in plan.lines]


def test_parse_day_reads_both_ways_of_writing_a_date():
    assert history.parse_day("2023-01-26") == datetime.date(2023, 1, 26)
    assert history.parse_day("26/01/2023") == datetime.date(2023, 1, 26)
    assert history.parse_day(" 6/1/2023 ") == datetime.date(2023, 1, 6)
    assert history.parse_day("2023-01-26 00:00:00") == datetime.date(2023, 1, 26)


@pytest.mark.parametrize("text", ["", "31/02/2023", "2023-13-01", "26 janvier", "01/26"])
def test_parse_day_refuses_what_is_no_day(text):
    with pytest.raises(history.BadDate):
        history.parse_day(text)


def test_missing_meetings_are_created_held_and_imported_and_newcomers_like_walk_ins():
    plan, applied = run(
        {"date": "2026-01-29", "name": "Hélène Dupont", "email": "helene@example.org"},
        {"date": "29/01/2026", "name": "Karim Benali"},
        {"date": "2026-02-26", "name": "helene DUPONT", "workshop": "Compost collectif"},
    )

    assert outcomes(plan) == [(2, "create"), (3, "create"), (4, "create")]
    meetings = list(Meeting.objects.order_by("starts_at"))
    assert [(m.title, m.status, m.imported_at is not None) for m in meetings] == [
        ("Assemblée des communs", Meeting.Status.HELD, True),
        ("Assemblée des communs", Meeting.Status.HELD, True),
    ]
    assert [
        m.starts_at.astimezone(history.timezone.get_current_timezone()).date() for m in meetings
    ] == [
        datetime.date(2026, 1, 29),
        datetime.date(2026, 2, 26),
    ]
    helene = User.objects.get(email="helene@example.org")
    assert helene.display_name == "Hélène Dupont"
    assert not helene.has_usable_password()
    assert helene.imported_at is not None
    assert helene.emailaddress_set.get().verified is False
    karim = User.objects.get(display_name="Karim Benali")
    assert karim.email is None
    assert Attendance.objects.filter(person=helene).count() == 2
    assert Workshop.objects.get().title == "Compost collectif"
    assert sorted(person.pk for _new, person in applied.people) == sorted([helene.pk, karim.pk])


def test_people_are_found_by_email_first_then_by_folded_name():
    known = UserFactory(display_name="Chloé Lefèvre", email="chloe@example.org")
    namesake = UserFactory(display_name="Paul Roux", email="paul@example.org")

    plan, _applied = run(
        {"date": "2026-01-29", "name": "Someone Else", "email": "CHLOE@example.org"},
        {"date": "2026-02-26", "name": "  CHLOE   lefevre "},
        {"date": "2026-02-26", "name": "Paul Roux", "email": "another.paul@example.org"},
    )

    assert outcomes(plan) == [(2, "create"), (3, "create"), (4, "create")]
    assert Attendance.objects.filter(person=known).count() == 2
    assert not Attendance.objects.filter(person=namesake).exists()
    assert User.objects.filter(display_name="Paul Roux").count() == 2


def test_an_ambiguous_name_is_an_error_naming_who_matches_and_nothing_is_written():
    UserFactory(display_name="Camille Martin", email="camille.a@example.org")
    UserFactory(display_name="Camille MARTIN", email="camille.b@example.org")

    plan, applied = run(
        {"date": "2026-01-29", "name": "Awa Diallo"},
        {"date": "2026-01-29", "name": "Camille Martin"},
    )

    assert applied is None
    assert outcomes(plan) == [(2, "create"), (3, "error")]
    assert "camille.a@example.org" in plan.lines[1].reason
    assert "camille.b@example.org" in plan.lines[1].reason
    assert Meeting.objects.count() == 0
    assert User.objects.count() == 2


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"date": "31/02/2026", "name": "A"}, "is not a date"),
        ({"date": "", "name": "A"}, "date is missing"),
        ({"date": "2027-01-28", "name": "A"}, "after today"),
        ({"date": "2026-01-29", "name": "A", "email": "not-an-address"}, "not a valid e-mail"),
        ({"date": "2026-01-29", "name": ""}, "name is missing"),
        ({"date": "2026-01-29", "name": "x" * 151}, "longer than 150"),
    ],
)
def test_refusals_say_why_by_line(cells, message):
    plan, applied = run({"date": "2026-01-29", "name": "Fine"}, cells)

    assert applied is None
    assert plan.lines[1].number == 3
    assert plan.lines[1].outcome == "error"
    assert message in plan.lines[1].reason


def test_the_same_sheet_twice_creates_nothing_more():
    rows = (
        {"date": "2026-01-29", "name": "Hélène Dupont", "email": "helene@example.org"},
        {"date": "2026-01-29", "name": "Karim Benali"},
        {"date": "2026-02-26", "name": "Karim Benali", "workshop": "Compost collectif"},
    )
    run(*rows)
    counts = (User.objects.count(), Meeting.objects.count(), Attendance.objects.count())

    plan, _applied = run(*rows)

    assert outcomes(plan) == [(2, "unchanged"), (3, "unchanged"), (4, "unchanged")]
    summary = plan.summary()
    assert summary.new_meetings == summary.newcomers == summary.new_workshops == []
    assert (User.objects.count(), Meeting.objects.count(), Attendance.objects.count()) == counts


def test_a_line_repeated_in_the_sheet_counts_once():
    plan, _applied = run(
        {"date": "2026-01-29", "name": "Karim Benali"},
        {"date": "29/01/2026", "name": "karim benali"},
    )

    assert outcomes(plan) == [(2, "create"), (3, "unchanged")]
    assert "line 2" in plan.lines[1].reason
    assert Attendance.objects.count() == 1


def test_an_existing_meeting_of_that_day_is_used_and_a_cancelled_one_refuses():
    held = MeetingFactory(starts_at=paris(2026, 1, 29, 12), status=Meeting.Status.HELD)
    MeetingFactory(
        starts_at=paris(2026, 2, 26),
        status=Meeting.Status.CANCELLED,
        cancellation_reason="Flood",
    )

    plan, _applied = run(
        {"date": "2026-01-29", "name": "Karim Benali"},
        {"date": "2026-02-26", "name": "Karim Benali"},
    )

    assert outcomes(plan) == [(2, "create"), (3, "error")]
    assert "cancelled" in plan.lines[1].reason
    assert plan.summary().new_meetings == []
    assert plan.lines[0].meeting == held


def test_the_preview_names_who_becomes_eligible():
    already = UserFactory(display_name="Déjà Membre")
    AttendanceFactory(person=already, meeting=MeetingFactory(starts_at=paris(2026, 9, 24)))
    AttendanceFactory(person=already, meeting=MeetingFactory(starts_at=paris(2026, 10, 29)))
    one_more = UserFactory(display_name="Une De Plus")
    AttendanceFactory(person=one_more, meeting=MeetingFactory(starts_at=paris(2026, 10, 29)))

    with transaction.atomic():
        plan = Planned(
            history.plan(
                lines(
                    {"date": "2026-11-26", "name": "Déjà Membre"},
                    {"date": "2026-11-26", "name": "Une De Plus"},
                    {"date": "2024-01-25", "name": "Vieil Habitué"},
                    {"date": "2024-02-29", "name": "Vieil Habitué"},
                    {"date": "2026-01-29", "name": "Nouvelle Venue"},
                    {"date": "2026-02-26", "name": "Nouvelle Venue", "workshop": "Compost"},
                    {"date": "2026-02-26", "name": "Nouvelle Venue"},
                ),
                today=TODAY,
            )
        )

    assert plan.summary().becoming_eligible == ["Nouvelle Venue", "Une De Plus"]
    assert "2 people become eligible for membership: Nouvelle Venue, Une De Plus" in (
        plan.summary().effects()
    )
    assert Meeting.objects.count() == 3  # the preview wrote nothing


def test_apply_recomputes_membership_without_any_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    known = UserFactory(display_name="Une De Plus", language="en")
    AttendanceFactory(person=known, meeting=MeetingFactory(starts_at=paris(2026, 10, 29)))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run(
            {"date": "2026-11-26", "name": "Une De Plus"},
            {"date": "2026-10-29", "name": "Nouvelle Venue", "email": "nv@example.org"},
            {"date": "2026-11-26", "name": "Nouvelle Venue"},
        )

    known.refresh_from_db()
    newcomer = User.objects.get(email="nv@example.org")
    assert known.eligible_until == datetime.date(2027, 10, 29)
    assert newcomer.eligible_until == datetime.date(2027, 10, 29)
    assert callbacks == []  # no task queued: no recompute with notices, no claim invitation
    assert mailoutbox == []
    # What the history made due is recorded as known, never to be sent.
    assert sorted(Delivery.objects.values_list("person__display_name", "kind", "state")) == [
        ("Nouvelle Venue", "membership-eligible", "known"),
        ("Une De Plus", "membership-eligible", "known"),
    ]


def test_imported_people_hear_nothing_of_their_membership_until_they_claim_it(mailoutbox):
    run({"date": "2026-10-29", "name": "Nouvelle Venue", "email": "nv@example.org"})
    newcomer = User.objects.get(email="nv@example.org")
    # A second session, at the door, after the import: a real event, but still unclaimed.
    AttendanceFactory(person=newcomer, meeting=MeetingFactory(starts_at=paris(2026, 12, 10)))

    with time_machine.travel(paris(2026, 12, 11, 3), tick=False):
        recompute_memberships()
    newcomer.refresh_from_db()
    assert newcomer.eligible_until == datetime.date(2027, 10, 29)
    assert mailoutbox == []

    # Claimed: from now on the real events reach them (the lapse a year later, say).
    newcomer.set_password("a password of their own")
    newcomer.save()
    newcomer.membership_declared_at = paris(2026, 12, 12)
    newcomer.save(update_fields=["membership_declared_at"])
    with time_machine.travel(paris(2027, 10, 20, 3), tick=False):
        recompute_memberships()

    assert [message.to for message in mailoutbox] == [["nv@example.org"]]
