"""The charter history importer (charter/importing.py): one Markdown file per version, dated by
its name or a `date:` line, stored in date order as versions adopted before Assemblée."""

import io
import zipfile

import pytest
from django.core import mail
from django.utils import timezone, translation

from assembly import imports
from charter.models import CharterVersion
from charter.services import current_version
from decisions.models import Decision
from tests.charter.factories import add_version, default_charter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def md(name, text):
    return imports.Upload(name, text.encode())


HISTORY = [
    md("2021-06-24-charte.md", "## 1. Se réunir\n\nChaque mois, le dernier jeudi.\n"),
    md("2019-03-21-charte.md", "## 1. Se réunir\n\nChaque mois.\n"),
    md("premiere-revision.md", "---\ntitle: Charte\ndate: 2020-01-30\n---\n## 1. Se réunir\n\nChaque mois, à midi.\n"),
]  # fmt: skip


def zipped(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for upload in files:
            archive.writestr(f"charte/{upload.name}", upload.content)
        archive.writestr("__MACOSX/._2019-03-21-charte.md", b"\x00\x05")
    return [imports.Upload("charte.zip", buffer.getvalue())]


@pytest.mark.parametrize("given", [HISTORY, zipped(HISTORY)], ids=["files", "zip"])
def test_versions_are_stored_in_date_order_and_the_newest_is_current(given):
    plan = imports.plan("charter", given)
    assert plan.summary_line == "created=3 updated=0 unchanged=0 skipped=0 errors=0"
    assert plan.effects[0] == (
        "3 charter versions created, adopted before Assemblée (no vote is invented); the "
        "newest, of 2021-06-24, becomes the current charter"
    )
    imports.apply(plan, None)
    versions = list(CharterVersion.objects.order_by("number"))
    assert [(v.number, timezone.localtime(v.created_at).date().isoformat()) for v in versions] == [
        (1, "2019-03-21"), (2, "2020-01-30"), (3, "2021-06-24")]  # fmt: skip
    assert versions[1].text == "## 1. Se réunir\n\nChaque mois, à midi.\n"  # front matter gone
    assert all(v.adopted_before_assemblee and v.decision is None for v in versions)
    assert Decision.objects.count() == 0  # no invented vote
    assert current_version().number == 3
    assert mail.outbox == []


def test_the_version_page_says_it_was_adopted_before_assemblee(client):
    imports.apply(imports.plan("charter", HISTORY), None)
    page = client.get("/charter/versions/1/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Adopted before the assembly used this site" in page.content.decode()


def test_the_same_files_again_change_nothing():
    imports.apply(imports.plan("charter", HISTORY), None)
    again = imports.plan("charter", HISTORY)
    assert again.summary_line == "created=0 updated=0 unchanged=3 skipped=0 errors=0"
    imports.apply(again, None)
    assert CharterVersion.objects.count() == 3


def test_a_charter_with_a_version_refuses_other_history():
    add_version(default_charter())
    with pytest.raises(imports.FileRefused, match="already has 1 version"):
        imports.plan("charter", HISTORY)
    assert CharterVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (md("charte.md", "## Sans date\n"), "no adoption date"),
        (md("2019-02-30-charte.md", "## Date impossible\n"), "is not a date"),
        (md("2019-03-21-charte.md", "date: 2019-03-21\n\n  \n"), "holds no text"),
        (md("2099-01-01-charte.md", "## Demain\n"), "in the future"),
        (imports.Upload("2019-03-21-charte.pdf", b"%PDF-1.4"), "not a Markdown file"),
        (imports.Upload("2019-03-21-charte.md", b"\xff\xfe\x00\x00\x00"), "not a text file"),
        (md("2019-03-21-bis.md", "## Le même jour\n"), "adopted the same day"),
    ],
)
def test_a_bad_file_is_an_error_on_its_line_and_nothing_is_written(upload, says):
    plan = imports.plan("charter", [*HISTORY, upload])
    assert [row.outcome for row in plan.rows].count("error") == 1
    error = plan.errors[0]
    assert (error.line, error.source) == (4, upload.name)
    assert says in error.reason
    with pytest.raises(imports.ImportRefused):
        imports.apply(plan, None)
    assert CharterVersion.objects.count() == 0


def test_undo_removes_the_imported_versions_while_nothing_builds_on_them(person):
    batch = imports.apply(imports.plan("charter", HISTORY), None)
    imports.undo(batch, person)
    assert CharterVersion.objects.count() == 0
    assert current_version() is None


def test_undo_is_refused_once_a_later_version_exists(person):
    batch = imports.apply(imports.plan("charter", HISTORY), None)
    add_version(default_charter())
    with pytest.raises(imports.UndoRefused, match="the imported versions stay"):
        imports.undo(batch, person)
    assert CharterVersion.objects.count() == 4
