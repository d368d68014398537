"""`manage.py import attendance FILE` and the engine's plan/apply for past attendance: the files
spreadsheets write, the same file twice, refusals by line with nothing written, undo, and the
rule that an import sends no e-mail — neither then nor at the nightly membership notices."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from assembly import imports
from assembly.models import Delivery, User
from tests.factories import UserFactory
from tests.membership.factories import AttendanceFactory, MeetingFactory, paris
from workshops.models import Attendance, Meeting, Workshop
from workshops.tasks import recompute_memberships

pytestmark = pytest.mark.django_db

NOW = paris(2026, 12, 4, 10)
SHEET = (
    "date,nom,courriel,réunion,atelier\n"
    "2026-01-29,Hélène Dupont,helene@example.org,,\n"
    "2026-01-29,Karim Benali,,,Compost collectif\n"
    "26/02/2026,Hélène Dupont,,,\n"
    "26/02/2026,Awa Diallo,awa@example.org,,\n"
)


@pytest.fixture(autouse=True)
def _english_at_a_fixed_day():
    with translation.override("en"), time_machine.travel(NOW, tick=False):
        yield


def upload(text: str, *, encoding="utf-8", name="presences.csv"):
    return [imports.Upload(name, text.encode(encoding))]


def run_command(path, *args):
    out = io.StringIO()
    try:
        call_command("import", "attendance", str(path), *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def written():
    return (User.objects.count(), Meeting.objects.count(), Attendance.objects.count())


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (SHEET, "utf-8"),
        ("\ufeff" + SHEET, "utf-8"),  # Excel's "CSV UTF-8" starts with a BOM
        (SHEET.replace(",", ";"), "cp1252"),  # French Excel's plain "CSV": ; and Windows-1252
        (SHEET.replace(",", ";"), "utf-8"),
    ],
)
def test_every_way_a_spreadsheet_saves_the_sheet_reads_alike(text, encoding):
    plan = imports.plan("attendance", upload(text, encoding=encoding))

    assert plan.summary_line == "created=4 updated=0 unchanged=0 skipped=0 errors=0"
    assert [row.label.split(" · ")[0] for row in plan.rows] == [
        "Hélène Dupont",
        "Karim Benali",
        "Hélène Dupont",
        "Awa Diallo",
    ]
    assert {row.data.day for row in plan.rows} == {
        datetime.date(2026, 1, 29),
        datetime.date(2026, 2, 26),
    }


def test_the_command_applies_then_the_same_file_again_creates_nothing(tmp_path, mailoutbox):
    sheet = tmp_path / "presences.csv"
    sheet.write_text(SHEET, encoding="utf-8")

    first, error = run_command(sheet)
    assert error is None
    counts = written()
    second, error = run_command(sheet)

    assert error is None
    assert first.splitlines()[-1] == "created=4 updated=0 unchanged=0 skipped=0 errors=0"
    assert "# 2 meetings created" in first
    assert "# 3 people registered (unclaimed profiles, as at the door)" in first
    assert "# 1 person becomes eligible for membership: Hélène Dupont" in first
    assert second.splitlines()[-1] == "created=0 updated=0 unchanged=4 skipped=0 errors=0"
    assert written() == counts == (3, 2, 4)
    assert Workshop.objects.get().title == "Compost collectif"
    assert set(Meeting.objects.values_list("status", flat=True)) == {Meeting.Status.HELD}
    assert mailoutbox == []


def test_the_preview_writes_nothing(tmp_path):
    sheet = tmp_path / "presences.csv"
    sheet.write_text(SHEET, encoding="utf-8")

    out, error = run_command(sheet, "--dry-run")

    assert error is None
    assert out.splitlines()[-1] == "created=4 updated=0 unchanged=0 skipped=0 errors=0"
    assert written() == (0, 0, 0)


def test_refusals_are_listed_by_spreadsheet_line_and_nothing_is_written(tmp_path):
    UserFactory(display_name="Camille Martin", email="camille.a@example.org")
    UserFactory(display_name="Camille Martin", email="camille.b@example.org")
    sheet = tmp_path / "presences.csv"
    sheet.write_text(
        "date;nom;courriel\n"
        "29/01/2026;Awa Diallo;\n"
        "31/02/2026;Awa Diallo;\n"
        "29/01/2026;camille martin;\n"
        "29/01/2026;Paul Roux;paul@@example\n"
        "2027-01-28;Awa Diallo;\n",
        encoding="utf-8",
    )

    out, error = run_command(sheet)

    assert error is not None
    assert error.returncode == 1
    lines = out.splitlines()
    assert lines[-1] == "created=1 updated=0 unchanged=0 skipped=0 errors=4"
    assert lines[1].startswith("3: error")
    assert "“31/02/2026” is not a date" in lines[1]
    assert lines[2].startswith("4: error")
    assert "camille.a@example.org" in lines[2]
    assert "camille.b@example.org" in lines[2]
    assert lines[3].startswith("5: error")
    assert "not a valid e-mail" in lines[3]
    assert lines[4].startswith("6: error")
    assert "after today" in lines[4]
    assert written() == (2, 0, 0)


def test_skip_errors_imports_the_valid_lines(tmp_path):
    sheet = tmp_path / "presences.csv"
    sheet.write_text("date,name\n2026-01-29,Awa Diallo\nyesterday,Awa Diallo\n", encoding="utf-8")

    out, error = run_command(sheet, "--skip-errors")

    assert error is None
    assert out.splitlines()[-1] == "created=1 updated=0 unchanged=0 skipped=0 errors=1"
    assert written() == (1, 1, 1)


def test_an_attendance_removed_after_the_import_is_not_brought_back():
    batch = imports.apply(imports.plan("attendance", upload(SHEET)), None)
    awa = User.objects.get(email="awa@example.org")
    Attendance.objects.filter(person=awa).delete()

    again = imports.plan("attendance", upload(SHEET))

    assert batch.created == 4
    assert again.summary_line == "created=0 updated=0 unchanged=3 skipped=1 errors=0"
    assert again.rows[3].reason == "deleted after an earlier import; not brought back"


def test_undo_removes_what_the_import_brought_and_recomputes_membership():
    known = UserFactory(display_name="Une De Plus")
    AttendanceFactory(person=known, meeting=MeetingFactory(starts_at=paris(2026, 10, 29)))
    batch = imports.apply(
        imports.plan("attendance", upload("date,name\n2026-11-26,Une De Plus\n")), None
    )
    known.refresh_from_db()
    assert known.eligible_until == datetime.date(2027, 10, 29)

    imports.undo(batch, None)

    known.refresh_from_db()
    assert known.eligible_until is None
    assert Meeting.objects.count() == 1
    assert Attendance.objects.count() == 1


def test_undo_is_refused_once_someone_registered_by_it_claimed_their_account():
    batch = imports.apply(imports.plan("attendance", upload(SHEET)), None)
    awa = User.objects.get(email="awa@example.org")
    awa.set_password("chosen by Awa")
    awa.save()

    with pytest.raises(imports.UndoRefused) as refusal:
        imports.undo(batch, None)

    assert "Awa Diallo" in refusal.value.message
    assert written() == (3, 2, 4)


def test_no_email_at_the_import_nor_at_the_nightly_notices(
    mailoutbox, django_capture_on_commit_callbacks
):
    known = UserFactory(display_name="Une De Plus", language="en")
    AttendanceFactory(person=known, meeting=MeetingFactory(starts_at=paris(2026, 10, 29)))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        imports.apply(
            imports.plan(
                "attendance",
                upload(
                    "date,name,email\n"
                    "2026-11-26,Une De Plus,\n"
                    "2026-10-29,Nouvelle Venue,nv@example.org\n"
                    "2026-11-26,Nouvelle Venue,\n"
                ),
            ),
            None,
        )
    for day in (5, 6, 7):
        with time_machine.travel(paris(2026, 12, day, 3), tick=False):
            recompute_memberships()

    assert callbacks == []
    assert mailoutbox == []
    assert set(Delivery.objects.values_list("state", flat=True)) == {"known"}
    assert User.objects.get(email="nv@example.org").is_eligible(datetime.date(2026, 12, 7))
