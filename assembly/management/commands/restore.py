"""Restore a backup archive: checksums first, never over an assembly unless --force, then migrate.
A portable archive (`backup --portable`) restores on SQLite or PostgreSQL, whichever wrote it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assembly.backups import BackupError, restore_backup
from assembly.portable_backups import is_portable, restore_portable_backup


class Command(BaseCommand):
    help = "Restore the database and uploaded files from an archive written by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds people.",
        )

    def handle(self, *args, archive, force, **options):
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file.")
        if is_portable(archive):
            # Written by `backup --portable`, on either engine: rows, not a dump.
            try:
                done = restore_portable_backup(archive, force=force, stdout=self.stdout)
            except BackupError as error:
                raise CommandError(str(error)) from error
            manifest = done["manifest"]
            self.stdout.write(
                f"Restored {archive.name} (portable, from {manifest['source_engine']}): "
                f"{sum(done['rows'].values())} rows in {len(done['rows'])} tables, "
                f"{done['media']} uploaded file(s)."
            )
            return
        try:
            done = restore_backup(archive, force=force, stdout=self.stdout)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = done["manifest"]
        self.stdout.write(
            f"Restored {archive.name}: version {manifest['version']}, "
            f"written {manifest['created_at']}, {done['media']} uploaded file(s)."
        )
        if done["migrated"]:
            self.stdout.write("Migrated forward: " + ", ".join(done["migrated"]))
