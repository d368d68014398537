"""manage.py import KIND FILE: each row's outcome, then exactly one summary line; exit 0 when
applied (or would apply with --dry-run), 1 when refused."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from commons_registry.models import Commons

pytestmark = pytest.mark.django_db

GOOD = "nom;résumé;catégorie\nJardin du Canal;Un jardin.;autre\nWiki;Un wiki.;autre\n"
BAD = "name,summary,latitude,longitude\nJardin,Un jardin.,50.6,3.0\nMauvais,Faux.,95,3.0\n"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def write(tmp_path, text, name="communs.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(path)


def run(capsys, *arguments):
    """(stdout lines, the CommandError's return code or 0)."""
    try:
        call_command("import", *arguments)
        code = 0
    except CommandError as error:
        code = error.returncode
    return capsys.readouterr().out.splitlines(), code


def test_the_command_prints_each_row_then_the_summary_and_exits_0(tmp_path, capsys):
    lines, code = run(capsys, "commons", write(tmp_path, GOOD))
    assert code == 0
    assert lines[0] == "2: create Jardin du Canal (not on the map (no coordinates))"
    assert lines[1] == "3: create Wiki (not on the map (no coordinates))"
    assert "# No e-mail is sent." in lines
    assert lines[-1] == "created=2 updated=0 unchanged=0 skipped=0 errors=0"
    assert Commons.objects.count() == 2
    lines, code = run(capsys, "commons", write(tmp_path, GOOD))
    assert (lines[-1], code) == ("created=0 updated=0 unchanged=2 skipped=0 errors=0", 0)


def test_dry_run_writes_nothing_and_exits_0(tmp_path, capsys):
    lines, code = run(capsys, "commons", write(tmp_path, GOOD), "--dry-run")
    assert (lines[-1], code) == ("created=2 updated=0 unchanged=0 skipped=0 errors=0", 0)
    assert Commons.objects.count() == 0


def test_a_file_with_an_error_row_is_refused_whole_and_exits_1(tmp_path, capsys):
    lines, code = run(capsys, "commons", write(tmp_path, BAD))
    assert code == 1
    assert lines[-1] == "created=1 updated=0 unchanged=0 skipped=0 errors=1"
    assert any(line.startswith("3: error Mauvais (") for line in lines)
    assert Commons.objects.count() == 0
    lines, code = run(capsys, "commons", write(tmp_path, BAD), "--dry-run")
    assert code == 1


def test_skip_errors_imports_the_valid_rows(tmp_path, capsys):
    lines, code = run(capsys, "commons", write(tmp_path, BAD), "--skip-errors")
    assert (lines[-1], code) == ("created=1 updated=0 unchanged=0 skipped=0 errors=1", 0)
    assert list(Commons.objects.values_list("name", flat=True)) == ["Jardin"]


def test_map_reads_a_column_as_a_field(tmp_path, capsys):
    path = write(tmp_path, "Appellation,Résumé\nLa Bricothèque,Des outils.\n")
    lines, code = run(capsys, "commons", path)
    assert (lines[-1], code) == ("created=0 updated=0 unchanged=0 skipped=0 errors=0", 1)
    lines, code = run(capsys, "commons", path, "--map", "Appellation=name")
    assert (lines[-1], code) == ("created=1 updated=0 unchanged=0 skipped=0 errors=0", 0)


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["cooking", "x.csv"], "Unknown kind of import"),
        (["commons", "missing.csv"], "cannot be read"),
        (["commons", "empty.csv"], "The file is empty"),
        (["commons", "x.csv", "--map", "nonsense"], "--map takes COLUMN=FIELD"),
    ],
)
def test_a_refusal_says_why_and_exits_1(tmp_path, capsys, arguments, says):
    write(tmp_path, GOOD, "x.csv")
    write(tmp_path, "", "empty.csv")
    arguments = [a if not a.endswith(".csv") else str(tmp_path / a) for a in arguments]
    with pytest.raises(CommandError, match=says) as refused:
        call_command("import", *arguments)
    assert refused.value.returncode == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "created=0 updated=0 unchanged=0 skipped=0 errors=0"
    )


def test_the_exit_code_seen_by_a_shell(tmp_path):
    """The same rules through `python manage.py import`, as a script would run it."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "PYTHONPATH": str(settings.BASE_DIR),
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    good = subprocess.run(
        [*manage, "import", "commons", write(tmp_path, GOOD), "--dry-run"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    bad = subprocess.run(
        [*manage, "import", "commons", write(tmp_path, BAD, "bad.csv")],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (good.returncode, good.stdout.splitlines()[-1]) == (
        0, "created=2 updated=0 unchanged=0 skipped=0 errors=0")  # fmt: skip
    assert (bad.returncode, bad.stdout.splitlines()[-1]) == (
        1, "created=1 updated=0 unchanged=0 skipped=0 errors=1")  # fmt: skip
