"""Backups that restore: the demo assembly goes into one archive and comes back whole, into a fresh
database, on the suite's database engine (SQLite by default, PostgreSQL with DATABASE_URL)."""

import datetime
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from importlib import import_module
from pathlib import Path

import psycopg
import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from assembly import page_cache
from assembly.backups import app_version, create_backup
from assembly.models import User
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime.datetime(2026, 12, 2, 2, 30, tzinfo=datetime.UTC)


def manage(*arguments, database_url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """`python manage.py …` in its own process, as an operator runs it, on another database."""
    clean = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    environment = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "SECRET_KEY": "backup-tests",
        "DATABASE_URL": database_url,
        "CELERY_DATA_DIR": str(tmp_path / "celery"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def raw_connection(settings_dict: dict):
    """A connection of the database driver itself, so both sides are read the same way."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return sqlite3.connect(settings_dict["NAME"])
    return psycopg.connect(
        dbname=settings_dict["NAME"],
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        autocommit=True,
    )


def primary_keys() -> dict[str, str]:
    """Each table of the suite's database and its primary key column."""
    with connection.cursor() as cursor:
        return {
            table: connection.introspection.get_primary_key_column(cursor, table)
            for table in sorted(connection.introspection.table_names())
        }


def snapshot(settings_dict: dict, tables: dict[str, str]) -> dict:
    """Every table's row count, and its first and last five rows by primary key."""
    seen = {}
    database = raw_connection(settings_dict)
    try:
        cursor = database.cursor()
        for table, key in tables.items():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            count = cursor.fetchone()[0]
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY "{key}" LIMIT 5')
            first = cursor.fetchall()
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY "{key}" DESC LIMIT 5')
            last = cursor.fetchall()
            seen[table] = (count, first, last)
    finally:
        database.close()
    return seen


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the suite's engine, and its URL."""
    source = connection.settings_dict
    if source["ENGINE"].endswith("sqlite3"):
        path = tmp_path / "restored.sqlite3"
        yield {"ENGINE": source["ENGINE"], "NAME": str(path)}, f"sqlite:///{path}"
        return
    name = f"{source['NAME']}_restore"
    admin = raw_connection({**source, "NAME": "postgres"})
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    host = source.get("HOST") or "127.0.0.1"
    credentials = source.get("USER") or ""
    if source.get("PASSWORD"):
        credentials += f":{source['PASSWORD']}"
    url = f"postgres://{credentials}@{host}:{source.get('PORT') or 5432}/{name}"
    yield {**source, "NAME": name}, url
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def rewrite_archive(archive: Path, target: Path, change) -> Path:
    """Copy an archive member by member, letting `change(name, data)` alter what it wants."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


@pytest.mark.django_db(transaction=True)
def test_demo_assembly_comes_back_whole_in_a_fresh_database(tmp_path, fresh_database):
    # A transactional test run before this one may have flushed the categories that a data
    # migration creates; the demo needs them, as a real database has them.
    seed_categories = import_module("commons_registry.migrations.0003_seed_categories")
    seed_categories.create_categories(django_apps, None)
    call_command("seed_demo", "--force", stdout=io.StringIO())
    tables = primary_keys()
    archive = create_backup(tmp_path / "backups")
    target, url = fresh_database

    result = manage("restore", str(archive), database_url=url, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert f"Restored {archive.name}" in result.stdout
    before, after = snapshot(connection.settings_dict, tables), snapshot(target, tables)
    assert User.objects.count() > 10
    assert {t: c for t, (c, _, _) in after.items()} == {t: c for t, (c, _, _) in before.items()}
    assert after == before


@pytest.mark.django_db(transaction=True)
def test_archive_holds_the_database_the_uploads_and_a_manifest_with_checksums(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "venues").mkdir(parents=True)
    (settings.MEDIA_ROOT / "venues" / "plan.pdf").write_bytes(b"%PDF-1.4 the hall")

    archive = create_backup(tmp_path / "backups", now=NOW)

    assert archive.name == "assemblee-20261202-023000.tar.gz"
    with tarfile.open(archive) as tar:
        members = {member.name: tar.extractfile(member).read() for member in tar.getmembers()}
    manifest = json.loads(members.pop("manifest.json"))
    dump = "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"
    assert set(members) == {dump, "media/venues/plan.pdf"}
    assert manifest["version"] == app_version() == "0.1.0"
    assert manifest["created_at"] == "2026-12-02T02:30:00+00:00"
    assert manifest["engine"] == connection.vendor
    # The suite's database is fully migrated: each app at its latest migration on disk.
    assert manifest["migrations"] == dict(sorted(MigrationLoader(None).graph.leaf_nodes()))
    assert manifest["migrations"]["commons_registry"] >= "0003_seed_categories"
    assert manifest["checksums"] == {
        name: hashlib.sha256(data).hexdigest() for name, data in members.items()
    }


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_people_unless_forced(tmp_path):
    kept = UserFactory(display_name="In the archive")
    archive = create_backup(tmp_path)
    UserFactory(display_name="Joined after the backup")

    with pytest.raises(CommandError, match="contient déjà une assemblée"):
        call_command("restore", str(archive))
    assert User.objects.count() == 2

    call_command("restore", str(archive), "--force", stdout=io.StringIO())

    assert list(User.objects.values_list("display_name", flat=True)) == [kept.display_name]


@pytest.mark.django_db(transaction=True)
def test_restore_moves_the_content_version_on(tmp_path):
    UserFactory(display_name="In the archive")
    archive = create_backup(tmp_path)
    before = page_cache.content_version()

    call_command("restore", str(archive), "--force", stdout=io.StringIO())

    assert page_cache.content_version() != before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_altered_archive_and_touches_nothing(tmp_path):
    UserFactory(display_name="In the archive")
    archive = create_backup(tmp_path / "backups")
    UserFactory(display_name="Joined after the backup")

    def alter(name, data):
        if not name.startswith("database."):
            return data
        return data[:-16] + bytes(byte ^ 0xFF for byte in data[-16:])

    altered = rewrite_archive(archive, tmp_path / "altered.tar.gz", alter)

    with pytest.raises(CommandError, match="endommagée ou modifiée"):
        call_command("restore", str(altered), "--force")
    assert User.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_an_archive_from_a_newer_version(tmp_path):
    archive = create_backup(tmp_path / "backups")

    def from_the_future(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["decisions"] = "0099_from_the_future"
        return json.dumps(manifest).encode()

    newer = rewrite_archive(archive, tmp_path / "newer.tar.gz", from_the_future)

    with pytest.raises(
        CommandError, match=r"version plus récente.*decisions\.0099_from_the_future"
    ):
        call_command("restore", str(newer), "--force")


@pytest.mark.django_db(transaction=True)
def test_backup_keeps_only_the_newest_archives_it_is_told_to(tmp_path):
    for day in range(1, 16):
        (tmp_path / f"assemblee-202611{day:02d}-023000.tar.gz").write_bytes(b"old")
    (tmp_path / "notes.txt").write_text("not an archive")

    call_command("backup", "--output", str(tmp_path), "--keep", "14", stdout=io.StringIO())

    archives = sorted(path.name for path in tmp_path.glob("assemblee-*.tar.gz"))
    assert len(archives) == 14
    assert archives[0] == "assemblee-20261103-023000.tar.gz"
    assert archives[-1].startswith("assemblee-2026") and archives[-1] not in {
        f"assemblee-202611{day:02d}-023000.tar.gz" for day in range(1, 16)
    }
    assert (tmp_path / "notes.txt").exists()


def test_older_archive_is_migrated_forward_after_restore(tmp_path):
    # An SQLite assembly one migration behind the code, as after an upgrade.
    old = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    assert manage("migrate", database_url=old, tmp_path=tmp_path).returncode == 0
    behind = manage("migrate", "decisions", "0001", database_url=old, tmp_path=tmp_path)
    assert behind.returncode == 0, behind.stderr
    backup = manage(
        "backup", "--output", str(tmp_path / "out"), database_url=old, tmp_path=tmp_path
    )
    archive = backup.stdout.strip()

    new = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    result = manage("restore", archive, database_url=new, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Migrated forward: decisions.0002_vote_counts_and_notices" in result.stdout
    plan = manage("migrate", "--check", database_url=new, tmp_path=tmp_path)
    assert plan.returncode == 0, plan.stdout


def test_restore_of_a_file_that_is_no_archive_exits_with_a_message(tmp_path):
    (tmp_path / "notes.txt").write_text("not an archive")

    result = manage(
        "restore",
        str(tmp_path / "notes.txt"),
        database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        tmp_path=tmp_path,
    )

    assert result.returncode == 1
    assert "n’est pas une sauvegarde lisible" in result.stderr
