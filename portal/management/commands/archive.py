"""Write a static archive of the public record: a folder, or a .zip (portal/archive.py)."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.archive import ArchiveError, build_archive, languages_to_archive


class Command(BaseCommand):
    help = (
        "Write a self-contained static website of everything an anonymous visitor may see, "
        "readable from a USB stick or any static host."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            required=True,
            help="A new (or empty) folder, or a file name ending in .zip.",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=min(len(languages_to_archive()), os.cpu_count() or 1),
            help="Languages archived at the same time, one process each (default: one per "
            "language, up to the machine's cores).",
        )

    def handle(self, *args, output, processes, **options):
        try:
            report = build_archive(output, processes=processes)
        except ArchiveError as error:
            raise CommandError(str(error)) from error
        left_out = ", ".join(
            f"{count} ({reason})" for reason, count in sorted(report.left_out.items())
        )
        self.stdout.write(
            f"{report.output}: {report.pages} pages and {report.files - report.pages} other "
            f"files in {', '.join(report.languages)}, {report.static_files} static files, "
            f"in {report.seconds:.1f} s. Left out: {left_out or 'nothing'}."
        )
