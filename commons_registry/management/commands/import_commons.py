"""manage.py import_commons FILE: the old name of `manage.py import commons FILE`, kept for the
scripts that call it (the import engine, assembly/imports, does the work)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Import commons from a CSV, GeoJSON or GoGoCarto JSON file (same as: import commons)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file, write nothing.")
        parser.add_argument(
            "--skip-invalid",
            "--skip-errors",
            dest="skip_errors",
            action="store_true",
            help="Import the valid rows even when others are invalid.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Kept for old scripts.")

    def handle(self, *args, file, dry_run, skip_errors, **options):
        arguments = ["commons", file]
        if dry_run:
            arguments.append("--dry-run")
        if skip_errors:
            arguments.append("--skip-errors")
        call_command("import", *arguments, stdout=self.stdout, stderr=self.stderr)
