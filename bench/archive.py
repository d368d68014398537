"""`make bench`'s measure of the static archive (issue 26): `manage.py archive` on the large demo
data, every anonymous page in both languages, into a temporary folder. Budget: 2 minutes."""

import os
import tempfile
from pathlib import Path

from portal.archive import build_archive, languages_to_archive

BUDGET_SECONDS = 120


def measure_archive(*, processes: int | None = None) -> dict:
    """Build the archive as the command does (one process per language, up to the cores)."""
    if processes is None:
        processes = min(len(languages_to_archive()), os.cpu_count() or 1)
    with tempfile.TemporaryDirectory() as scratch:
        report = build_archive(Path(scratch) / "archive", processes=processes)
    return {
        "seconds": round(report.seconds, 1),
        "pages": report.pages,
        "files": report.files,
        "languages": report.languages,
        "processes": processes,
        "left_out": report.left_out,
        "within_budget": report.seconds <= BUDGET_SECONDS,
    }
