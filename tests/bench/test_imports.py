"""bench/imports.py at a small size: the file it builds, and its three timings."""

import csv
import io

import pytest

from assembly import imports
from bench.imports import attendance_file, describe, measure_attendance_import

pytestmark = pytest.mark.django_db


def test_the_attendance_file_has_one_row_per_person_and_meeting():
    rows = list(csv.reader(io.StringIO(attendance_file(rows=12, people=4, meetings=3).decode())))
    assert rows[0] == ["date", "name", "email", "meeting", "workshop"]
    assert len(rows) == 13
    assert len({row[2] for row in rows[1:]}) == 4
    assert len({row[3] for row in rows[1:]}) == 3


def test_the_measure_imports_then_finds_the_same_file_unchanged_and_leaves_nothing():
    result = measure_attendance_import(rows=40, people=10, meetings=4)
    if imports.importer_for("attendance") is None:
        # The attendance importer comes from the workshops app (branch importers2): until it is
        # registered, the bench says it skipped the measure rather than timing nothing.
        assert result == {"skipped": "no attendance importer is registered"}
        assert (
            describe(result) == "Attendance import: skipped (no attendance importer is registered)."
        )
        return
    assert result["preview"]["summary"].startswith("created=40 ")
    assert result["again"]["created"] == 0
    assert (
        imports.plan(
            "attendance", [imports.Upload("p.csv", attendance_file(rows=40, people=10, meetings=4))]
        ).counts["created"]
        == 40
    )
