"""The sample files a new host copies (docs/import-examples/) import as docs/moving-in.md says,
into the demo town whose people they name: attendance, then people, then subscribers, without any
e-mail; and each a second time creates nothing."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from assembly.models import DoNotMail, Subscriber, User
from workshops.models import Meeting

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "import-examples"


def run(kind, name):
    out = io.StringIO()
    call_command("import", kind, str(EXAMPLES / name), stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_the_sample_files_move_into_the_demo_town_without_any_email(mailoutbox):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    mailoutbox.clear()
    people_before = User.objects.count()

    with translation.override("en"):
        attendance = run("attendance", "attendance.csv")
        people = run("people", "people.csv")
        subscribers = run("subscribers", "subscribers.csv")
        again = [
            run("attendance", "attendance.csv")[-1],
            run("people", "people.csv")[-1],
            run("subscribers", "subscribers.csv")[-1],
            run("subscribers", "subscribers.txt")[-1],
        ]

    assert attendance[-1] == "created=16 updated=0 unchanged=0 skipped=0 errors=0"
    assert "# 3 meetings created" in attendance
    # Everyone but Mireille, who signed the paper sheet without an address, is a demo person.
    assert "# 1 person registered (an unclaimed profile, as at the door)" in attendance
    assert User.objects.count() == people_before + 1
    assert Meeting.objects.filter(imported_at__isnull=False).count() == 3
    assert people[-1] == "created=0 updated=2 unchanged=3 skipped=0 errors=0"
    assert any("Not declared a member" in line for line in people if "Noé Nouveau" in line)
    assert User.objects.get(display_name="Mireille Vasseur").email == (
        "mireille.vasseur@example.org"
    )
    assert subscribers[-1] == "created=4 updated=0 unchanged=3 skipped=0 errors=0"
    assert sorted(DoNotMail.objects.values_list("email", flat=True)) == [
        "ancienne.adresse@example.org",
        "plus.interesse@example.org",
    ]
    assert sorted(
        Subscriber.objects.filter(source=Subscriber.Source.IMPORT).values_list("email", flat=True)
    ) == ["amap.wazemmes@example.org", "repair.cafe.fives@example.org"]
    assert again == [
        "created=0 updated=0 unchanged=16 skipped=0 errors=0",
        "created=0 updated=0 unchanged=5 skipped=0 errors=0",
        "created=0 updated=0 unchanged=7 skipped=0 errors=0",
        "created=0 updated=0 unchanged=3 skipped=0 errors=0",
    ]
    assert mailoutbox == []
