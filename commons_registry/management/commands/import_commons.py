"""manage.py import_commons FILE: load commons from CSV or GeoJSON (see importing.py)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commons_registry.importing import ImportFileError, import_commons


def progress_bar(stream, width=30):
    drawn = {"filled": -1}

    def show(done: int, total: int):
        filled = width * done // total if total else width
        if filled == drawn["filled"] and done != total:
            return
        drawn["filled"] = filled
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show


class Command(BaseCommand):
    help = (
        "Import commons from a CSV or GeoJSON file. Nothing is written when a row is invalid, "
        "unless --skip-invalid. Re-running matches entries on external_id, then slug."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file, write nothing.")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows even when others are invalid.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, file, dry_run, skip_invalid, no_progress, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        try:
            report = import_commons(
                file,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                progress=None if no_progress else progress_bar(sys.stderr),
            )
        except ImportFileError as error:
            raise CommandError(f"{file}: {error}") from error
        for error in report.errors:
            self.stderr.write(f"{file}: {error}")
        summary = (
            f"{report.rows} rows: {report.created} to create, {report.updated} to update, "
            f"{report.unchanged} unchanged, {report.skipped} invalid."
        )
        if report.dry_run:
            self.stdout.write(f"Dry run, nothing written. {summary}")
        elif report.written:
            self.stdout.write(self.style.SUCCESS(f"Imported. {summary}"))
        else:
            raise CommandError(
                f"Nothing imported: {len(report.errors)} error(s). {summary} "
                "Fix the file or pass --skip-invalid."
            )
