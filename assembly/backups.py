"""Backups that restore: one tar.gz holding the database, the uploaded files and a manifest.

The database is dumped with `pg_dump --format=custom` on PostgreSQL and copied with SQLite's online
backup API on SQLite, so neither needs the site stopped. The manifest records the version, the date,
the migration state and a SHA-256 checksum of every other member; a restore checks them all before it
touches the database, refuses to overwrite one that holds people unless forced, and migrates forward
when the archive is older than the code.
"""

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.models import User
from assembly.page_cache.versioning import bump_content_version

FORMAT = 1
MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
MEDIA_FOLDER = "media"
# assemblee-20261202-031500.tar.gz: the name sorts by date, which is what pruning relies on.
ARCHIVE_NAME = re.compile(r"^assemblee-\d{8}-\d{6}\.tar\.gz$")


class BackupError(Exception):
    """A backup or restore that cannot go on, with a message for the person running it."""


def app_version() -> str:
    try:
        return version("assemblee")
    except PackageNotFoundError:
        return "unknown"


def _engine(connection) -> str:
    if connection.vendor not in ("postgresql", "sqlite"):
        raise BackupError(_("Backups support PostgreSQL and SQLite, not %s.") % connection.vendor)
    return connection.vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def migration_state(connection) -> dict[str, str]:
    """The last migration applied, per app."""
    last: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        last[app] = max(last.get(app, name), name)
    return dict(sorted(last.items()))


def holds_people(connection) -> bool:
    """True when the database already holds an assembly (its people), which a restore would erase."""

    if User._meta.db_table not in connection.introspection.table_names():
        return False
    return User.objects.using(connection.alias).exists()


def _postgres_arguments(connection) -> tuple[list[str], dict[str, str]]:
    params = connection.settings_dict
    arguments = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        arguments += ["--host", params["HOST"]]
    if params.get("PORT"):
        arguments += ["--port", str(params["PORT"])]
    if params.get("USER"):
        arguments += ["--username", params["USER"]]
    environment = {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True)
    except FileNotFoundError as missing:
        raise BackupError(
            _("%s is not installed; install the PostgreSQL client tools.") % command[0]
        ) from missing
    if result.returncode != 0:
        raise BackupError(f"{command[0]}: {result.stderr.strip()}")


def _dump_database(connection, folder: Path) -> Path:
    if _engine(connection) == "postgresql":
        target = folder / POSTGRES_DUMP
        arguments, environment = _postgres_arguments(connection)
        _run(["pg_dump", "--format=custom", "--file", str(target), *arguments], environment)
        return target
    target = folder / SQLITE_COPY
    if connection.in_atomic_block:
        # SQLite's backup of a connection inside its own write transaction waits forever.
        raise BackupError(_("A backup cannot be taken inside a transaction."))
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    return target


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT) if settings.MEDIA_ROOT else None
    if root is None or not root.is_dir():
        return []
    return [
        (path, f"{MEDIA_FOLDER}/{path.relative_to(root).as_posix()}")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    ]


def create_backup(output: Path, *, now: datetime.datetime | None = None, using="default") -> Path:
    """Write one archive of the database and media into `output`; return its path."""
    connection = connections[using]
    now = now or timezone.now()
    output.mkdir(parents=True, exist_ok=True)
    archive = output / f"assemblee-{now.astimezone(datetime.UTC):%Y%m%d-%H%M%S}.tar.gz"
    with tempfile.TemporaryDirectory() as scratch:
        dump = _dump_database(connection, Path(scratch))
        members = [(dump, dump.name), *_media_files()]
        manifest = {
            "format": FORMAT,
            "application": "assemblee",
            "version": app_version(),
            "created_at": now.isoformat(),
            "engine": connection.vendor,
            "migrations": migration_state(connection),
            "checksums": {name: _sha256(path) for path, name in members},
        }
        write_archive(archive, manifest, members, now=now)
    return archive


def write_archive(archive: Path, manifest: dict, members, *, now: datetime.datetime) -> None:
    """The manifest, then each (path, name) of `members`, in a gzipped tar at `archive`. Written
    beside, then renamed: a crash never leaves a half archive under a backup's name."""
    partial = archive.with_name(archive.name + ".partial")
    with tarfile.open(partial, "w:gz") as tar:
        encoded = json.dumps(manifest, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(encoded)
        info.mtime = int(now.timestamp())
        tar.addfile(info, io.BytesIO(encoded))
        for path, name in members:
            tar.add(path, arcname=name, recursive=False)
    partial.replace(archive)


def prune_backups(output: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives in `output`; other files are left alone."""
    archives = sorted(path for path in output.iterdir() if ARCHIVE_NAME.match(path.name))
    removed = archives[:-keep] if keep > 0 else archives
    for path in removed:
        path.unlink()
    return removed


def _extract_verified(archive: Path, folder: Path) -> dict:
    """Unpack `archive` into `folder` and return its manifest, once every checksum matches."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(
            _("%(archive)s is not a readable backup: %(error)s")
            % {"archive": archive, "error": error}
        ) from error
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        checksums = manifest["checksums"]
    except (OSError, ValueError, KeyError) as error:
        raise BackupError(_("%s has no valid manifest.") % archive) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(_("%s was written in an unknown format.") % archive)
    found = {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }
    if found != set(checksums):
        raise BackupError(_("%s does not hold the files its manifest lists.") % archive)
    for name, expected in checksums.items():
        if _sha256(folder / name) != expected:
            raise BackupError(
                _("%(archive)s is damaged or altered: the checksum of %(name)s does not match.")
                % {"archive": archive, "name": name}
            )
    return manifest


def _refuse_newer_archive(manifest: dict) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app}.{name}" for app, name in manifest["migrations"].items() if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            _("This archive comes from a newer version of Assemblée (%s): upgrade first.")
            % ", ".join(unknown)
        )


def _drop_all_tables(connection) -> None:
    tables = connection.introspection.table_names()
    if not tables:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TABLE IF EXISTS "
            + ", ".join(connection.ops.quote_name(table) for table in tables)
            + " CASCADE"
        )


def _restore_database(connection, folder: Path, engine: str) -> None:
    if engine == "postgresql":
        # A clean slate first: tables of a newer schema would otherwise stay and break `migrate`.
        _drop_all_tables(connection)
        connection.close()
        arguments, environment = _postgres_arguments(connection)
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([*command, "--exit-on-error", *arguments, str(folder / POSTGRES_DUMP)], environment)
        return
    connection.ensure_connection()
    source = sqlite3.connect(folder / SQLITE_COPY)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_media(folder: Path) -> int:
    media = folder / MEDIA_FOLDER
    if not media.is_dir():
        return 0
    if not settings.MEDIA_ROOT:
        raise BackupError(_("The archive holds uploaded files but MEDIA_ROOT is not set."))
    shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return sum(1 for path in media.rglob("*") if path.is_file())


def restore_backup(archive: Path, *, force: bool = False, using="default", stdout=None) -> dict:
    """Replace the database (and add the media) with the archive's; migrate forward if it is older.

    Returns what was done: the manifest, the number of media files, the migrations applied after.
    """
    connection = connections[using]
    engine = _engine(connection)
    if not force and holds_people(connection):
        raise BackupError(
            _(
                "The database already holds an assembly; restoring would erase it. "
                "Use --force to replace it with the archive."
            )
        )
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        manifest = _extract_verified(Path(archive), folder)
        if manifest["engine"] != engine:
            raise BackupError(
                _("This archive holds a %(archive)s database; this site runs on %(site)s.")
                % {"archive": manifest["engine"], "site": engine}
            )
        _refuse_newer_archive(manifest)
        _restore_database(connection, folder, engine)
        media = _restore_media(folder)
    plan = MigrationExecutor(connection).migration_plan(
        MigrationLoader(connection).graph.leaf_nodes()
    )
    if plan:
        call_command("migrate", database=using, interactive=False, verbosity=0, stdout=stdout)
    # The restore wrote below Django's cursors (pg_restore, SQLite's backup API): no page kept
    # before it may be served after it (assembly/page_cache/versioning.py).
    bump_content_version()
    return {
        "manifest": manifest,
        "media": media,
        "migrated": [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan],
    }
