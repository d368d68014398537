"""`manage.py import people FILE`: people found or registered without any e-mail, facilitators
added, membership declared only where attendance makes the person eligible (the line says why
not elsewhere), the same file twice, refusals by line; and the separate "invite these people"."""

import datetime
import io

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import translation

from assembly import follow_ups, imports
from assembly.models import FACILITATORS_GROUP, Delivery, DoNotMail, User
from config.celery import app as celery_app
from tests.factories import UserFactory
from tests.membership.factories import AttendanceFactory, MeetingFactory, paris
from workshops import membership
from workshops.tasks import recompute_memberships

pytestmark = pytest.mark.django_db

NOW = paris(2026, 12, 4, 10)


@pytest.fixture(autouse=True)
def _forget_content_types():
    """The import records the facilitators' group rows it adds; their content type is made on
    first use, inside the test's transaction, and Django caches its id: forget it with it."""
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _english_at_a_fixed_day():
    with translation.override("en"), time_machine.travel(NOW, tick=False):
        yield


def upload(text: str, *, encoding="utf-8"):
    return [imports.Upload("personnes.csv", text.encode(encoding))]


def eligible(person):
    """Two sessions in the window: eligible until a year after the older one."""
    AttendanceFactory(person=person, meeting=MeetingFactory(starts_at=paris(2026, 9, 24)))
    AttendanceFactory(person=person, meeting=MeetingFactory(starts_at=paris(2026, 10, 29)))
    membership.recompute(person_ids=[person.pk], notify=False)
    person.refresh_from_db()
    return person


def run_command(path, *args):
    out = io.StringIO()
    try:
        call_command("import", "people", str(path), *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (
            "nom,courriel,facilitateur,membre depuis\nHélène Dupont,helene@example.org,oui,\n",
            "utf-8",
        ),
        (
            "\ufeffname;email;facilitator;member_since\nHélène Dupont;helene@example.org;yes;\n",
            "utf-8",
        ),
        (
            "nom;courriel;facilitateur;membre depuis\nHélène Dupont;helene@example.org;x;\n",
            "cp1252",
        ),
    ],
)
def test_every_way_a_spreadsheet_saves_the_list_reads_alike(text, encoding):
    plan = imports.plan("people", upload(text, encoding=encoding))

    assert plan.summary_line == "created=1 updated=0 unchanged=0 skipped=0 errors=0"
    assert plan.rows[0].data.person.display_name == "Hélène Dupont"
    assert plan.rows[0].data.make_facilitator is True


def test_people_are_registered_and_updated_without_any_email(tmp_path, mailoutbox):
    walk_in = UserFactory(display_name="Karim Benali", email=None)
    member = eligible(UserFactory(display_name="Chloé Lefèvre", email="chloe@example.org"))
    sheet = tmp_path / "personnes.csv"
    sheet.write_text(
        "name,email,facilitator,member_since\n"
        "Hélène Dupont,helene@example.org,yes,\n"
        "karim benali,karim@example.org,,\n"
        "CHLOE LEFEVRE,,no,15/03/2025\n",
        encoding="utf-8",
    )

    out, error = run_command(sheet)

    assert error is None
    assert out.splitlines()[-1] == "created=1 updated=2 unchanged=0 skipped=0 errors=0"
    helene = User.objects.get(email="helene@example.org")
    assert helene.imported_at is not None
    assert not helene.has_usable_password()
    assert list(helene.groups.values_list("name", flat=True)) == [FACILITATORS_GROUP]
    walk_in.refresh_from_db()
    assert walk_in.email == "karim@example.org"
    member.refresh_from_db()
    assert member.membership_declared_at == paris(2025, 3, 15, 0)
    assert member.is_member(datetime.date(2026, 12, 4))
    assert mailoutbox == []


def test_member_since_without_eligibility_says_why_not_and_keeps_the_rest():
    once = UserFactory(display_name="Une Fois", email="une.fois@example.org")
    AttendanceFactory(person=once, meeting=MeetingFactory(starts_at=paris(2026, 10, 29)))

    plan = imports.plan(
        "people",
        upload(
            "name,email,facilitator,member_since\n"
            "Une Fois,,yes,2025-01-01\n"
            "Nouvelle Venue,nv@example.org,,2025-01-01\n"
        ),
    )
    imports.apply(plan, None)

    assert [row.outcome for row in plan.rows] == ["update", "create"]
    assert plan.rows[0].reason == (
        "Added to the facilitators. Not declared a member: 1 session in the last 365 days, "
        "2 needed (import the attendance first)."
    )
    assert "Not declared a member: 0 sessions" in plan.rows[1].reason
    once.refresh_from_db()
    assert once.membership_declared_at is None
    assert once.is_facilitator
    assert User.objects.get(email="nv@example.org").membership_declared_at is None


def test_the_same_file_again_changes_nothing(tmp_path):
    eligible(UserFactory(display_name="Chloé Lefèvre", email="chloe@example.org"))
    sheet = tmp_path / "personnes.csv"
    sheet.write_text(
        "name,email,facilitator,member_since\n"
        "Hélène Dupont,helene@example.org,yes,\n"
        "Chloé Lefèvre,,no,2025-03-15\n"
        "Sans Adresse,,,\n",
        encoding="utf-8",
    )
    run_command(sheet)
    people = list(User.objects.order_by("pk").values())

    out, error = run_command(sheet)

    assert error is None
    assert out.splitlines()[-1] == "created=0 updated=0 unchanged=3 skipped=0 errors=0"
    assert list(User.objects.order_by("pk").values()) == people


def test_refusals_by_line_write_nothing(tmp_path):
    UserFactory(display_name="Camille Martin", email="camille.a@example.org")
    UserFactory(display_name="Camille Martin", email="camille.b@example.org")
    sheet = tmp_path / "personnes.csv"
    sheet.write_text(
        "name;email;facilitator;member_since\n"
        "Awa Diallo;;;\n"
        "Paul Roux;paul.example.org;;\n"
        "Camille Martin;;;\n"
        "Léa Roux;;peut-être;\n"
        "Tom Petit;;;30/02/2024\n",
        encoding="utf-8",
    )
    count = User.objects.count()

    out, error = run_command(sheet)

    assert error is not None
    lines = out.splitlines()
    assert lines[-1] == "created=1 updated=0 unchanged=0 skipped=0 errors=4"
    assert [line.split(":")[0] + ":" + line.split(":")[1][:6] for line in lines[1:5]] == [
        "3: error",
        "4: error",
        "5: error",
        "6: error",
    ]
    assert "camille.b@example.org" in lines[2]
    assert "neither yes nor no" in lines[3]
    assert "not a date" in lines[4]
    assert User.objects.count() == count


def test_inviting_the_people_imported_sends_the_door_invitation_once_each(
    mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    DoNotMail.objects.create(email="bounced@example.org", reason=DoNotMail.Reason.BOUNCED)
    batch = imports.apply(
        imports.plan(
            "people",
            upload(
                "name,email\n"
                "Hélène Dupont,helene@example.org\n"
                "Sans Adresse,\n"
                "Rebond,bounced@example.org\n"
            ),
        ),
        None,
    )
    assert mailoutbox == []
    assert follow_ups.people_to_invite(batch).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        first = follow_ups.invite(batch)
    with django_capture_on_commit_callbacks(execute=True):
        second = follow_ups.invite(batch)

    assert (first, second) == (1, 0)
    assert [message.to for message in mailoutbox] == [["helene@example.org"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_undo_puts_everything_back_while_nobody_claimed_an_account():
    walk_in = UserFactory(display_name="Karim Benali", email=None)
    member = eligible(UserFactory(display_name="Chloé Lefèvre", email="chloe@example.org"))
    batch = imports.apply(
        imports.plan(
            "people",
            upload(
                "name,email,facilitator,member_since\n"
                "Hélène Dupont,helene@example.org,yes,\n"
                "Karim Benali,karim@example.org,yes,\n"
                "Chloé Lefèvre,,,2025-03-15\n"
            ),
        ),
        None,
    )

    imports.undo(batch, None)

    walk_in.refresh_from_db()
    member.refresh_from_db()
    assert not User.objects.filter(display_name="Hélène Dupont").exists()
    assert walk_in.email is None
    assert not walk_in.emailaddress_set.exists()
    assert not walk_in.is_facilitator
    assert member.membership_declared_at is None


def test_undo_is_refused_once_someone_it_registered_claimed_their_account():
    batch = imports.apply(
        imports.plan("people", upload("name,email\nHélène Dupont,helene@example.org\n")), None
    )
    helene = User.objects.get(email="helene@example.org")
    helene.set_password("chosen by Hélène")
    helene.save()

    with pytest.raises(imports.UndoRefused) as refusal:
        imports.undo(batch, None)

    assert "Hélène Dupont" in refusal.value.message
    assert User.objects.filter(pk=helene.pk).exists()


def test_a_lapse_already_near_when_the_import_declares_a_member_is_not_news(mailoutbox):
    # Eligible until 2026-12-10: six days after the import.
    near = UserFactory(display_name="Presque Parti", email="presque@example.org", language="en")
    AttendanceFactory(person=near, meeting=MeetingFactory(starts_at=paris(2025, 12, 10)))
    AttendanceFactory(person=near, meeting=MeetingFactory(starts_at=paris(2026, 1, 29)))
    membership.recompute(person_ids=[near.pk], notify=False)

    imports.apply(
        imports.plan("people", upload("name,email,member_since\nPresque Parti,,2025-01-01\n")),
        None,
    )
    for day in (5, 6):
        with time_machine.travel(paris(2026, 12, day, 3), tick=False):
            recompute_memberships()

    near.refresh_from_db()
    assert near.is_member(datetime.date(2026, 12, 6))
    assert mailoutbox == []
    assert list(Delivery.objects.values_list("kind", "state")) == [("membership-expiring", "known")]

    # The lapse itself, later, is news: it happens here.
    with time_machine.travel(paris(2026, 12, 11, 3), tick=False):
        recompute_memberships()

    assert [message.to for message in mailoutbox] == [["presque@example.org"]]
