"""Write one backup archive (database, uploaded files, manifest); optionally prune older ones."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assembly.backups import BackupError, create_backup, prune_backups
from assembly.portable_backups import create_portable_backup


class Command(BaseCommand):
    help = "Write a backup archive (tar.gz) of the database and uploaded files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BACKUP_DIR),
            help="Folder to write the archive into (default: BACKUP_DIR, var/backups).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="Afterwards, keep only the N newest archives in that folder.",
        )

        parser.add_argument(
            "--portable",
            action="store_true",
            help="Rows rather than the engine's dump: restores on SQLite or PostgreSQL alike "
            "(to move from `make run` to a server, or back).",
        )

    def handle(self, *args, output, keep, portable, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep must be at least 1.")
        if portable and keep is not None:
            raise CommandError("--keep prunes the usual archives, not portable ones.")
        try:
            archive = create_portable_backup(output) if portable else create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
        if keep is not None:
            for removed in prune_backups(output, keep):
                self.stdout.write(f"removed {removed}")
