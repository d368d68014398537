"""`make bench`'s measure of an import (issue 22): 10,000 past attendance rows (500 people, 20
meetings) through the import engine, on the benchmark's PostgreSQL database, inside a transaction
rolled back afterwards so that the benchmark data stays as it was.

Three timings, each with its budget: the preview (`imports.plan`, nothing written) ≤ 5 s; the
apply (plan again under the kind's lock, write, membership recompute) ≤ 10 s; the same file
again (preview and apply) ≤ 5 s, creating nothing. The attendance importer belongs to the
workshops app; while it is not registered the measure says so and is skipped.
"""

import csv
import datetime
import io
import time

from django.db import transaction
from django.utils import timezone

from assembly import imports

PREVIEW_BUDGET_SECONDS = 5.0
APPLY_BUDGET_SECONDS = 10.0
AGAIN_BUDGET_SECONDS = 5.0
KIND = "attendance"


class _RolledBack(Exception):
    pass


def attendance_file(*, rows: int = 10_000, people: int = 500, meetings: int = 20) -> bytes:
    """A sign-in sheet as a spreadsheet exports it: `date,name,email,meeting,workshop`, one row
    per person and meeting, meetings monthly over the last `meetings` months (so that membership
    changes), names with accents, every person with an e-mail."""
    today = timezone.localdate()
    dates = [today - datetime.timedelta(days=30 * (number + 1)) for number in range(meetings)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "name", "email", "meeting", "workshop"])
    written = 0
    for meeting, date in enumerate(dates):
        for person in range(people):
            if written == rows:
                break
            writer.writerow(
                [
                    date.strftime("%d/%m/%Y") if person % 2 else date.isoformat(),
                    f"Personne Importée {person:04d}",
                    f"import-{person:04d}@bench.example.org",
                    f"Assemblée n°{meeting + 1}",
                    "Initiation aux communs" if person % 5 == 0 else "",
                ]
            )
            written += 1
    return out.getvalue().encode()


def _timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def measure_attendance_import(*, rows: int = 10_000, people: int = 500, meetings: int = 20) -> dict:
    """The three timings, or {"skipped": why} when no attendance importer is registered."""
    if imports.importer_for(KIND) is None:
        return {"skipped": "no attendance importer is registered"}
    uploads = [
        imports.Upload(
            "presences.csv", attendance_file(rows=rows, people=people, meetings=meetings)
        )
    ]
    result = {"rows": rows, "people": people, "meetings": meetings}
    try:
        with transaction.atomic():
            preview, preview_seconds = _timed(lambda: imports.plan(KIND, uploads))
            batch, apply_seconds = _timed(lambda: imports.apply(preview, None))

            def again():
                return imports.apply(imports.plan(KIND, uploads), None)

            second, again_seconds = _timed(again)
            result.update(
                preview={"seconds": round(preview_seconds, 3), "summary": preview.summary_line,
                         "effects": [str(e) for e in preview.effects]},
                apply={"seconds": round(apply_seconds, 3), "summary": batch.summary_line},
                again={"seconds": round(again_seconds, 3), "summary": second.summary_line,
                       "created": second.created},
            )  # fmt: skip
            raise _RolledBack
    except _RolledBack:
        pass
    result["within_budget"] = (
        result["preview"]["seconds"] <= PREVIEW_BUDGET_SECONDS
        and result["apply"]["seconds"] <= APPLY_BUDGET_SECONDS
        and result["again"]["seconds"] <= AGAIN_BUDGET_SECONDS
        and result["again"]["created"] == 0
    )
    return result


def describe(result: dict) -> str:
    if "skipped" in result:
        return f"Attendance import: skipped ({result['skipped']})."
    return (
        f"Attendance import of {result['rows']:,} rows ({result['people']} people, "
        f"{result['meetings']} meetings): preview {result['preview']['seconds']:.2f} s "
        f"(budget {PREVIEW_BUDGET_SECONDS:g}), apply {result['apply']['seconds']:.2f} s "
        f"(budget {APPLY_BUDGET_SECONDS:g}), same file again {result['again']['seconds']:.2f} s "
        f"with {result['again']['summary']} (budget {AGAIN_BUDGET_SECONDS:g}, created=0) "
        f"{'ok' if result['within_budget'] else 'OVER BUDGET'}"
    )
