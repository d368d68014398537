"""Portable backups: move an assembly between SQLite and PostgreSQL (issue 26).

`backup --portable` writes the same kind of archive as `backup` (a tar.gz with a manifest, checksums
and the uploaded files), but holds the database as rows rather than as an engine's dump: one JSON
Lines file with, for every table a model owns (many-to-many and history tables included), a header
naming the table and its columns, then one line per row, in primary-key order. Values are written as
Django reads them, so that each engine's own types (SQLite's text dates, PostgreSQL's timestamps)
meet in between.

`restore` recognises such an archive: it migrates the database to the code's schema, refuses an
archive written by another version of the code (the rows must fit the tables), then, in one
transaction, empties every table, inserts every row with its own primary key (as they are: no
`auto_now`, no signals, no history written) and sets every sequence past the highest id. On
PostgreSQL the search columns are generated again by the database at each insert, and ANALYZE
refreshes the planner's statistics for them.
"""

import base64
import datetime
import decimal
import json
import tarfile
import tempfile
import uuid
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

from .backups import (
    FORMAT,
    MANIFEST,
    BackupError,
    _engine,
    _extract_verified,
    _media_files,
    _restore_media,
    _sha256,
    app_version,
    holds_people,
    migration_state,
    write_archive,
)

ROWS = "database.jsonl"
PORTABLE = "portable"
CHUNK = 2000


def _tables() -> list:
    """Every model that owns a table, once per table, in a stable order."""
    seen, models = set(), []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        models.append(model)
    return sorted(models, key=lambda model: model._meta.db_table)


def _columns(model) -> list:
    # Generated columns are the database's to compute; the rest is what a row holds.
    return [
        field
        for field in model._meta.local_concrete_fields
        if not getattr(field, "generated", False)
    ]


def _plain(value):
    """A value as JSON can hold it; each field's to_python() reads it back."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot write {type(value).__name__} to a portable backup")


def write_rows(file, *, using="default") -> dict[str, int]:
    """Write every table's rows to `file` (text); return the number of rows per table."""
    counts = {}
    for model in _tables():
        fields = _columns(model)
        header = {
            "table": model._meta.db_table,
            "model": model._meta.label_lower,
            "columns": [field.attname for field in fields],
        }
        file.write(json.dumps(header) + "\n")
        rows = (
            model._base_manager.using(using)
            .order_by("pk")
            .values_list(*header["columns"])
            .iterator(chunk_size=CHUNK)
        )
        count = 0
        for row in rows:
            file.write(json.dumps(row, default=_plain, ensure_ascii=False) + "\n")
            count += 1
        counts[header["table"]] = count
    return counts


def create_portable_backup(
    output: Path, *, now: datetime.datetime | None = None, using="default"
) -> Path:
    """Write one portable archive of the database and media into `output`; return its path."""
    connection = connections[using]
    now = now or timezone.now()
    output.mkdir(parents=True, exist_ok=True)
    archive = output / f"assemblee-{now.astimezone(datetime.UTC):%Y%m%d-%H%M%S}-portable.tar.gz"
    with tempfile.TemporaryDirectory() as scratch:
        rows = Path(scratch) / ROWS
        # One snapshot of every table, even while the site keeps writing (PostgreSQL: repeatable
        # read; SQLite: one read transaction).
        repeatable = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic(using=using):
            if repeatable:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            with rows.open("w", encoding="utf-8") as file:
                counts = write_rows(file, using=using)
            migrations = migration_state(connection)
        members = [(rows, ROWS), *_media_files()]
        manifest = {
            "format": FORMAT,
            "application": "assemblee",
            "version": app_version(),
            "created_at": now.isoformat(),
            "engine": PORTABLE,
            "source_engine": connection.vendor,
            "migrations": migrations,
            "rows": counts,
            "checksums": {name: _sha256(path) for path, name in members},
        }
        write_archive(archive, manifest, members, now=now)
    return archive


def is_portable(archive: Path) -> bool:
    """Whether `archive` is a portable backup (read from its manifest; nothing else checked)."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.load(member) if member else {}
    except (tarfile.TarError, OSError, EOFError, KeyError, ValueError):
        return False
    return manifest.get("engine") == PORTABLE


def code_migration_state() -> dict[str, str]:
    """The last migration of each app in this version of the code."""
    last: dict[str, str] = {}
    for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes():
        last[app] = max(last.get(app, name), name)
    return dict(sorted(last.items()))


def _insert(model, fields, batch, using) -> None:
    # raw=True: values go in as they are (no auto_now, no defaults), as loaddata does.
    model._base_manager.using(using)._insert(batch, fields=fields, raw=True, using=using)


def read_rows(file, *, using="default") -> dict[str, int]:
    """Insert every row of `file` into tables already emptied; return the rows per table."""
    by_table = {model._meta.db_table: model for model in _tables()}
    connection = connections[using]
    counts: dict[str, int] = {}
    model = fields = None
    batch: list = []
    size = CHUNK

    def flush():
        if batch:
            _insert(model, fields, batch, using)
            counts[model._meta.db_table] += len(batch)
            batch.clear()

    for line in file:
        item = json.loads(line)
        if isinstance(item, dict):
            flush()
            model = by_table.get(item["table"])
            if model is None:
                raise BackupError(
                    _("The archive holds a table this site does not know: %s.") % item["table"]
                )
            named = {field.attname: field for field in _columns(model)}
            if set(item["columns"]) != set(named):
                raise BackupError(
                    _("The archive's table %s does not have this site's columns.") % item["table"]
                )
            fields = [named[name] for name in item["columns"]]
            counts[item["table"]] = 0
            size = max(1, min(CHUNK, connection.ops.bulk_batch_size(fields, [None] * CHUNK)))
            continue
        instance = model(
            **{
                field.attname: None if value is None else field.to_python(value)
                for field, value in zip(fields, item, strict=True)
            }
        )
        batch.append(instance)
        if len(batch) >= size:
            flush()
    flush()
    return counts


def _empty_every_table(connection) -> None:
    tables = [model._meta.db_table for model in _tables()]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    connection.ops.execute_sql_flush(statements)


def _set_sequences(connection) -> None:
    """Past the highest id of every table (SQLite's AUTOINCREMENT follows inserted ids itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), _tables())
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def restore_portable_backup(archive: Path, *, force=False, using="default", stdout=None) -> dict:
    """Replace every table's rows (and add the media) with the archive's, on SQLite or PostgreSQL.

    Returns what was done: the manifest, the rows per table, the number of media files.
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
        if manifest.get("engine") != PORTABLE:
            raise BackupError(_("%s is not a portable backup.") % archive)
        if manifest["migrations"] != code_migration_state():
            raise BackupError(
                _(
                    "This archive was written by another version of Assemblée (version %s): "
                    "restore it with that version, then upgrade."
                )
                % manifest["version"]
            )
        call_command("migrate", database=using, interactive=False, verbosity=0, stdout=stdout)
        with transaction.atomic(using=using):
            _empty_every_table(connection)
            with (folder / ROWS).open(encoding="utf-8") as file:
                counts = read_rows(file, using=using)
            _set_sequences(connection)
        if engine == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        media = _restore_media(folder)
    ContentType.objects.clear_cache()
    return {"manifest": manifest, "rows": counts, "media": media}
