"""Portable backups: the demo assembly goes from SQLite to PostgreSQL and back with every table's
rows, its sequences past the highest ids and its uploaded files; and the usual refusals hold."""

import datetime
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from assembly.backups import BackupError, create_backup
from assembly.models import User
from assembly.portable_backups import (
    create_portable_backup,
    is_portable,
    restore_portable_backup,
)
from tests.assembly.test_backups import raw_connection, rewrite_archive
from tests.conftest import skip_or_fail
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime.datetime(2026, 12, 2, 2, 30, tzinfo=datetime.UTC)


def manage(*arguments, database_url: str, media: Path, tmp_path: Path):
    """`python manage.py …` in its own process, as an operator runs it, on the given database."""
    clean = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    environment = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "SECRET_KEY": "portable-backup-tests",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "CELERY_DATA_DIR": str(tmp_path / "celery"),
    }
    result = subprocess.run(
        [sys.executable, *arguments]
        if arguments[0] == "-c"
        else [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{arguments}: {result.stderr}"
    return result


def read_tables(database_url: str, media: Path, tmp_path: Path, name: str) -> dict:
    target = tmp_path / f"{name}.json"
    code = (
        "import django; django.setup(); from tests.assembly.portable_tables import dump; "
        f"dump({str(target)!r})"
    )
    manage("-c", code, database_url=database_url, media=media, tmp_path=tmp_path)
    return json.loads(target.read_text())


@pytest.fixture
def postgresql_url():
    """An empty PostgreSQL database beside the suite's own, and its URL."""
    source = connection.settings_dict
    if connection.vendor != "postgresql":
        skip_or_fail("the SQLite → PostgreSQL → SQLite round trip needs DATABASE_URL=postgres://…")
    name = f"{source['NAME']}_portable"
    admin = raw_connection({**source, "NAME": "postgres"})
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    host = source.get("HOST") or "127.0.0.1"
    credentials = source.get("USER") or ""
    if source.get("PASSWORD"):
        credentials += f":{source['PASSWORD']}"
    yield f"postgres://{credentials}@{host}:{source.get('PORT') or 5432}/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def only_archive(folder: Path) -> Path:
    (archive,) = folder.glob("*-portable.tar.gz")
    return archive


def test_demo_assembly_goes_from_sqlite_to_postgresql_and_back_whole(tmp_path, postgresql_url):
    laptop, server, back = (
        f"sqlite:///{tmp_path / 'laptop.sqlite3'}",
        postgresql_url,
        f"sqlite:///{tmp_path / 'back.sqlite3'}",
    )
    media = {name: tmp_path / f"media-{name}" for name in ("laptop", "server", "back")}
    receipt = media["laptop"] / "receipts" / "2026" / "bike.pdf"
    receipt.parent.mkdir(parents=True)
    receipt.write_bytes(b"%PDF-1.4 a cargo bike")
    manage("migrate", "--noinput", database_url=laptop, media=media["laptop"], tmp_path=tmp_path)
    manage("seed_demo", database_url=laptop, media=media["laptop"], tmp_path=tmp_path)
    on_laptop = read_tables(laptop, media["laptop"], tmp_path, "laptop")

    # make run → a server: backup --portable on SQLite, restore on PostgreSQL.
    manage(
        "backup",
        "--portable",
        "--output",
        str(tmp_path / "one"),
        database_url=laptop,
        media=media["laptop"],
        tmp_path=tmp_path,
    )
    restored = manage(
        "restore",
        str(only_archive(tmp_path / "one")),
        database_url=server,
        media=media["server"],
        tmp_path=tmp_path,
    )
    on_server = read_tables(server, media["server"], tmp_path, "server")
    # And back: backup --portable on PostgreSQL, restore on a new SQLite.
    manage(
        "backup",
        "--portable",
        "--output",
        str(tmp_path / "two"),
        database_url=server,
        media=media["server"],
        tmp_path=tmp_path,
    )
    manage(
        "restore",
        str(only_archive(tmp_path / "two")),
        database_url=back,
        media=media["back"],
        tmp_path=tmp_path,
    )
    on_the_way_back = read_tables(back, media["back"], tmp_path, "back")

    assert "(portable, from sqlite)" in restored.stdout
    assert on_server["vendor"] == "postgresql" and on_the_way_back["vendor"] == "sqlite"
    assert on_laptop["table_names"] == on_server["table_names"] == on_the_way_back["table_names"]
    # The demo fills the tables that matter; every table, full or empty, is compared row by row.
    assert len(on_laptop["tables"]["assembly_user"]) > 10
    assert len(on_laptop["tables"]["decisions_vote"]) > 0
    for table, rows in on_laptop["tables"].items():
        assert on_server["tables"][table] == rows, table
        assert on_the_way_back["tables"][table] == rows, table
    assert on_server["sequences_behind"] == []
    for name in ("server", "back"):
        copy = media[name] / "receipts" / "2026" / "bike.pdf"
        assert copy.read_bytes() == b"%PDF-1.4 a cargo bike"


@pytest.mark.django_db(transaction=True)
def test_a_portable_archive_says_so_and_holds_rows_not_a_dump(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(display_name="Ada")

    archive = create_portable_backup(tmp_path, now=NOW)

    assert archive.name == "assemblee-20261202-023000-portable.tar.gz"
    assert is_portable(archive)
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names == {"manifest.json", "database.jsonl"}
    assert manifest["engine"] == "portable"
    assert manifest["source_engine"] == connection.vendor
    assert manifest["rows"]["assembly_user"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_usual_archive_is_not_portable(tmp_path):
    assert not is_portable(create_backup(tmp_path))


@pytest.mark.django_db(transaction=True)
def test_restore_replaces_every_row_and_the_next_id_follows_the_highest(tmp_path):
    kept = UserFactory(display_name="In the archive")
    archive = create_portable_backup(tmp_path)
    UserFactory(display_name="Joined after the backup")

    call_command("restore", str(archive), "--force", stdout=io.StringIO())

    assert list(User.objects.values_list("pk", "display_name")) == [(kept.pk, kept.display_name)]
    newcomer = UserFactory(display_name="After the restore")
    assert newcomer.pk > kept.pk


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_people_unless_forced(tmp_path):
    UserFactory(display_name="In the archive")
    archive = create_portable_backup(tmp_path)
    UserFactory(display_name="Joined after the backup")

    with pytest.raises(CommandError, match="contient déjà une assemblée"):
        call_command("restore", str(archive))

    assert User.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_archive_of_another_version_and_touches_nothing(tmp_path):
    UserFactory(display_name="Here")
    archive = create_portable_backup(tmp_path / "backups")

    def older(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["decisions"] = "0001_initial"
        return json.dumps(manifest).encode()

    altered = rewrite_archive(archive, tmp_path / "older.tar.gz", older)

    with pytest.raises(BackupError, match="une autre version d’Assemblée"):
        restore_portable_backup(altered, force=True)
    assert list(User.objects.values_list("display_name", flat=True)) == ["Here"]
