"""/me/ (status, sessions, declaring), /people/, the facilitators' member list, export, deletion."""

import csv
import io
import json

import pytest
import time_machine
from django.utils import translation

from assembly.models import AssemblyConfiguration, Delivery, User
from commons_registry.models import Category, Commons
from decisions.models import Decision, RollEntry, Vote
from tests.factories import FacilitatorFactory, UserFactory
from tests.membership.factories import (
    AttendanceFactory,
    MeetingFactory,
    WorkshopFactory,
    attend,
    paris,
)
from workshops import chart, membership
from workshops.models import Attendance, WorkshopSignup

pytestmark = pytest.mark.django_db

TODAY = paris(2026, 5, 1, 12)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def member(**kwargs):
    person = UserFactory(**kwargs)
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))
    membership.declare(person, now=TODAY)
    return person


def make_commons(name, state=Commons.State.PUBLISHED):
    category, _ = Category.objects.get_or_create(slug="garden", defaults={"name": "Gardens"})
    return Commons.objects.create(name=name, summary="…", category=category, state=state)


# --- /me/ --------------------------------------------------------------------------------------


def test_me_requires_login(client):
    response = client.get("/me/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_me_shows_member_until_date(client):
    person = member()
    client.force_login(person)

    page = client.get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "You are a member until 26 March 2027." in page
    assert "on or before 26 March 2027" in page


def test_me_shows_member_until_date_in_french(client):
    person = member()
    client.force_login(person)

    page = client.get("/me/").content.decode()

    assert "Vous êtes membre jusqu'au 26 mars 2027." in page


def test_me_offers_declaring_to_an_eligible_person(client):
    person = UserFactory()
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))
    membership.recompute(person_ids=[person.pk], notify=False)
    client.force_login(person)

    page = client.get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "You can declare yourself a member." in page
    assert 'action="/me/membership/declare/"' in page
    assert 'href="/charter/"' in page


@pytest.mark.parametrize(
    ("sessions", "english_text", "french_text"),
    [
        (0, "2 more sessions needed", "Encore 2 séances nécessaires"),
        (1, "1 more session needed", "Encore 1 séance nécessaire"),
    ],
)
def test_me_says_how_many_more_sessions_are_needed(client, sessions, english_text, french_text):
    person = UserFactory()
    attend(person, *[paris(2026, 4, 30)][:sessions])
    client.force_login(person)

    english_page = client.get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french_page = client.get("/me/").content.decode()

    assert english_text in english_page
    assert french_text in french_page
    assert "Declare myself a member" not in english_page


def test_me_lists_my_sessions_in_the_window_once_each(client):
    person = UserFactory()
    evening = MeetingFactory(title="Assemblée d'avril", starts_at=paris(2026, 4, 30))
    AttendanceFactory(person=person, meeting=evening)
    AttendanceFactory(person=person, meeting=evening, workshop=WorkshopFactory(meeting=evening))
    MeetingFactory(title="Not attended", starts_at=paris(2026, 3, 26))
    old = MeetingFactory(title="Too old", starts_at=paris(2025, 4, 30))
    AttendanceFactory(person=person, meeting=old)
    client.force_login(person)

    page = client.get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert page.count("Assemblée d&#x27;avril") == 1
    assert "30 April 2026" in page
    assert "Not attended" not in page
    assert "Too old" not in page
    assert "1 more session needed" in page


def test_me_keeps_the_profile_form(client):
    person = UserFactory()
    client.force_login(person)

    response = client.post(
        "/me/",
        {"display_name": "Camille D.", "bio": "Jardins", "listed": "on", "language": "fr"},
    )

    person.refresh_from_db()
    assert response.status_code == 302
    assert (person.display_name, person.bio, person.listed) == ("Camille D.", "Jardins", True)


@pytest.mark.parametrize("sessions", [1, 3])
def test_me_runs_a_constant_number_of_queries(client, sessions, django_assert_num_queries):
    AssemblyConfiguration.get()
    person = UserFactory()
    attend(person, *[paris(2026, month, 26) for month in range(1, 1 + sessions)], workshop=True)
    client.force_login(person)

    # session, user, configuration (read once, then cached for the rule and the context
    # processor), sessions, and what is waiting: votes, discussions, workshop notes
    with django_assert_num_queries(7):
        response = client.get("/me/")

    assert response.status_code == 200


# --- declaring ---------------------------------------------------------------------------------


def test_declare_requires_login(client):
    response = client.post("/me/membership/declare/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_declare_requires_post(person_client):
    assert person_client.get("/me/membership/declare/").status_code == 405


def test_declare_when_eligible_makes_a_member(client):
    person = UserFactory()
    attend(person, paris(2026, 3, 26), paris(2026, 4, 30))
    client.force_login(person)

    response = client.post("/me/membership/declare/", HTTP_ACCEPT_LANGUAGE="en", follow=True)

    person.refresh_from_db()
    assert person.membership_declared_at == TODAY
    assert person.is_member()
    assert "You are now a member of the assembly." in response.content.decode()
    assert "You are a member until 26 March 2027." in response.content.decode()


def test_declare_when_not_eligible_is_refused_with_a_clear_message(client):
    person = UserFactory()
    attend(person, paris(2026, 4, 30))
    client.force_login(person)

    response = client.post("/me/membership/declare/", HTTP_ACCEPT_LANGUAGE="en", follow=True)

    person.refresh_from_db()
    assert person.membership_declared_at is None
    assert (
        "You cannot declare yourself a member yet: it takes 2 sessions in the last 365 days."
        in response.content.decode()
    )


# --- /people/ ----------------------------------------------------------------------------------


def test_people_shows_listed_people_with_published_commons_and_membership(client, english):
    listed_member = member(listed=True, display_name="Maxime", bio="Jardinier")
    make_commons("Jardin partagé").stewards.add(listed_member)
    make_commons("Proposed coop", state=Commons.State.PROPOSED).stewards.add(listed_member)
    UserFactory(listed=True, display_name="Noé")
    member(listed=False, display_name="Secret member")

    page = client.get("/people/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Maxime" in page
    assert "Jardinier" in page
    assert "Jardin partagé" in page
    assert "Proposed coop" not in page
    assert "Noé" in page
    assert "Secret member" not in page
    assert page.count('<span class="badge">member</span>') == 1


def test_people_has_an_empty_state(client):
    page = client.get("/people/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Nobody has chosen to be listed yet." in page


@pytest.mark.parametrize("people", [1, 3])
def test_people_runs_a_constant_number_of_queries(client, people, django_assert_num_queries):
    AssemblyConfiguration.get()
    for n in range(people):
        person = UserFactory(listed=True)
        make_commons(f"Commons {n}").stewards.add(person)
        make_commons(f"Other {n}").stewards.add(person)

    # configuration (context processor), the page's count, people, their published commons
    with django_assert_num_queries(4):
        response = client.get("/people/")

    assert response.status_code == 200


# --- member list -------------------------------------------------------------------------------


def test_member_list_requires_login(client):
    response = client.get("/people/members/")

    assert response.status_code == 302


@pytest.mark.parametrize("url", ["/people/members/", "/people/members.csv"])
def test_member_list_is_refused_to_members_and_participants(client, url):
    client.force_login(member())

    assert client.get(url).status_code == 403


def test_member_list_shows_members_to_facilitators(client):
    member(display_name="Maxime", email="maxime@example.org")
    UserFactory(display_name="Not a member")
    client.force_login(FacilitatorFactory())

    page = client.get("/people/members/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Maxime" in page
    assert "maxime@example.org" in page
    assert "26 March 2027" in page
    assert "Not a member" not in page


def test_member_list_exports_csv_to_facilitators(client):
    member(display_name="=HYPERLINK(1)", email="maxime@example.org")
    client.force_login(FacilitatorFactory())

    response = client.get("/people/members.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # spreadsheets then read UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["name", "email", "declared_at", "member_until"],
        ["'=HYPERLINK(1)", "maxime@example.org", "2026-05-01", "2027-03-26"],
    ]


@pytest.mark.parametrize("members", [1, 3])
def test_member_list_runs_a_constant_number_of_queries(client, members, django_assert_num_queries):
    AssemblyConfiguration.get()
    for _ in range(members):
        member()
    client.force_login(FacilitatorFactory())

    # session, user with whether they facilitate, members (the configuration is in the cache
    # since the members were made)
    with django_assert_num_queries(4):
        client.get("/people/members/")
    with django_assert_num_queries(3):
        client.get("/people/members.csv")


# --- export and deletion -----------------------------------------------------------------------


def test_export_requires_login(client):
    assert client.get("/me/export.json").status_code == 302


def test_export_gives_my_data_as_json_sections(client):
    person = member(display_name="Maxime", bio="Jardinier")
    workshop = WorkshopFactory(title="Compost", proposed_by=person)
    WorkshopSignup.objects.create(workshop=workshop, person=person)
    make_commons("Jardin partagé").stewards.add(person)
    Delivery.objects.create(person=person, topic="membership:2027-03-26", kind="x")
    UserFactory(display_name="Someone else")
    client.force_login(person)

    response = client.get("/me/export.json")

    assert response["Content-Disposition"] == (
        'attachment; filename="assemblee-my-data-2026-05-01.json"'
    )
    data = json.loads(response.content)
    sections = data["sections"]
    assert list(sections) == [
        "profile",
        "email_addresses",
        "roles",
        "deliveries",
        "merges",
        "notification_preferences",
        "subscriptions",
        "digest_items",
        "settings_changes",
        "facilitator_invitations",
        "imports",
        "do_not_mail",
        "stewarded_commons",
        "proposed_commons",
        "commons_changes",
        "ostrom_assessments",
        "attendance",
        "door_ticks",
        "workshop_signups",
        "proposed_workshops",
        "hosted_meetings",
        "facilitated_workshops",
        "notes_revisions",
        "chantiers",
        "chantier_cards",
        "authored_decisions",
        "decision_comments",
        "votes",
        "outcome_statements",
        "charter_amendments",
        "charter_conflicts_resolved",
        "ledger_entries",
        "gatherings",
        "gathering_sessions",
        "gathering_notes_revisions",
        "polls",
    ]
    assert sections["profile"]["display_name"] == "Maxime"
    assert sections["profile"]["eligible_until"] == "2027-03-26"
    assert [c["name"] for c in sections["stewarded_commons"]] == ["Jardin partagé"]
    assert len(sections["attendance"]) == 2
    assert [s["workshop"] for s in sections["workshop_signups"]] == ["Compost"]
    assert [w["title"] for w in sections["proposed_workshops"]] == ["Compost"]
    assert [d["about"] for d in sections["deliveries"]] == ["membership:2027-03-26"]
    assert "Someone else" not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_export_runs_a_constant_number_of_queries(client, rows, django_assert_num_queries):
    person = UserFactory()
    attend(person, *[paris(2026, month, 26) for month in range(1, 1 + rows)], workshop=True)
    for n in range(rows):
        WorkshopSignup.objects.create(workshop=WorkshopFactory(proposed_by=person), person=person)
        make_commons(f"Commons {n}").stewards.add(person)
        decision = Decision.objects.create(
            title=f"Decision {n}",
            author=person,
            discussion_days=7,
            vote_days=7,
            created_at=TODAY,
            discussion_ends_at=TODAY,
        )
        decision.comments.create(author=person, text="Yes.", created_at=TODAY)
        entry = RollEntry.objects.create(decision=decision, person=person, voter_ref=f"v{n}")
        Vote.objects.create(decision=decision, roll_entry=entry, choice="consent", cast_at=TODAY)
    client.force_login(person)

    # session, user, then one per section after the profile (two for the roles, the votes and
    # the chantiers: participations and chantiers started); one each for preferences,
    # subscriptions and digest items (issue 11); the merges, the notes' revisions and the
    # phone ticks' log (issue 12); the settings changes one made, the facilitator invitations to
    # one's addresses (two: the addresses, then the invitations), the imports a person applied
    # or undid, and whether their address is on the do-not-mail list (issue 22); the gatherings' four
    # sections (issue 27): eleven, the prefetches of rows one does not have not running
    with django_assert_num_queries(49):
        client.get("/me/export.json")


def test_delete_account_asks_for_confirmation(client):
    person = UserFactory()
    client.force_login(person)

    response = client.post("/me/delete/", {}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_delete_account_keeps_attendance_and_votes_anonymised(client):
    person = member()
    attendance_ids = set(Attendance.objects.filter(person=person).values_list("pk", flat=True))
    WorkshopSignup.objects.create(workshop=WorkshopFactory(proposed_by=person), person=person)
    commons = make_commons("Jardin partagé")
    commons.stewards.add(person)
    decision = Decision.objects.create(
        title="Budget",
        author=person,
        discussion_days=7,
        vote_days=7,
        created_at=TODAY,
        discussion_ends_at=TODAY,
    )
    entry = RollEntry.objects.create(decision=decision, person=person, voter_ref="abc")
    Vote.objects.create(decision=decision, roll_entry=entry, choice="consent", cast_at=TODAY)
    client.force_login(person)

    response = client.post("/me/delete/", {"confirm": "on"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)

    assert not User.objects.filter(pk=person.pk).exists()
    assert set(Attendance.objects.filter(person=None).values_list("pk", flat=True)) == (
        attendance_ids
    )
    entry.refresh_from_db()
    assert entry.person is None
    assert entry.vote.choice == "consent"
    assert not WorkshopSignup.objects.exists()
    assert commons.stewards.count() == 0
    assert "Your account is deleted." in response.content.decode()
    assert response.context["user"].is_anonymous


def test_delete_account_leaves_the_participation_chart_unchanged(client):
    leaving, staying = UserFactory(), UserFactory()
    both = MeetingFactory(starts_at=paris(2026, 3, 26, 18))
    workshop_only = MeetingFactory(starts_at=paris(2026, 4, 30, 18))
    AttendanceFactory(person=leaving, meeting=both)
    AttendanceFactory(person=leaving, meeting=both, workshop=WorkshopFactory(meeting=both))
    AttendanceFactory(
        person=leaving, meeting=workshop_only, workshop=WorkshopFactory(meeting=workshop_only)
    )
    AttendanceFactory(person=staying, meeting=both)

    def people_per_meeting():
        return [bar.people for bar in chart.participation(now=TODAY).bars]

    before = people_per_meeting()
    client.force_login(leaving)
    client.post("/me/delete/", {"confirm": "on"})

    assert not User.objects.filter(pk=leaving.pk).exists()
    assert before == [2, 1]
    assert people_per_meeting() == [2, 1]
    # Their workshop rows stay too, nameless.
    assert Attendance.objects.filter(person=None, workshop__isnull=False).count() == 2
