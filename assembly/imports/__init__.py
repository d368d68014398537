"""Imports: one engine for every kind of file an assembly moves in with (issue 22).

The engine belongs to `assembly`, the foot of the chain; each app registers its importers from its
`AppConfig.ready()`, like the search sources and the personal data sections:

    from assembly import imports
    from .importing import CommonsImporter
    imports.register(CommonsImporter())

An importer (engine.Importer) says its `kind` (the command's KIND and the URL's <kind>), its
`fields` (each with the French and English headers it recognises without mapping, and whether it
is required), how it reads its files (`read`, CSV/JSON/GeoJSON by default, formats.py), and
writes two functions: `plan_rows(rows, plan)` → one RowPlan per row (create, update, unchanged,
skip or error with its reason, and the row's stable key), and `apply_rows(plan, rows, recorder,
by)`, which writes the create and update rows and tells the recorder each entry it created or
changed. Optional: `effects(plan)` (the side effects to spell out), `after_apply` (a recompute,
once), `refusal()` (the whole kind refused now), `undo_refusals(batch)`, `after_undo`.

The public functions, for the command (`manage.py import`), the pages (/settings/imports/) and
the tests:

    plan(kind, uploads, mapping=None)      → Plan (nothing written; FileRefused for a bad file)
    apply(plan, by, skip_errors=False)     → ImportBatch (one transaction; ImportRefused)
    undo(batch, by)                        → ImportBatch (UndoRefused while something depends)
    errors_csv(plan)                       → the error rows as a formula-safe CSV
    tombstoned(kind, keys)                 → keys an import created and someone deleted since

What an importer may rely on: `plan.now` (the moment of the plan, for dates it writes),
`plan.state` (a dict of its own, filled in `plan_rows`, read again in `effects` and `apply_rows`),
`row.values` keyed by field name (keys starting with "__" are what the reader found wrong, such as
`__geometry_error`), `row.line` as a spreadsheet shows it; `by` is the administrator, or None on
the command line without `--by`. The engine itself skips a row whose key repeats an earlier one,
and a create whose key an earlier import created and someone deleted since (`tombstoned`).

Rules every importer keeps: writes only in `apply_rows`/`after_apply` (the engine's transaction);
never sends an e-mail nor enqueues a task that does; looks rows up in bulk (10,000 rows in
seconds); gives every row a stable key so that the same file again changes nothing.
"""

from .engine import (
    Field,
    Importer,
    ImportRefused,
    Outcome,
    Plan,
    Recorder,
    RowPlan,
    UndoRefused,
    apply,
    errors_csv,
    importer_for,
    importers,
    plan,
    register,
    tombstoned,
    undo,
)
from .formats import MAX_FILE_BYTES, FileRefused, Row, Table, Upload, parse_date

__all__ = [
    "MAX_FILE_BYTES",
    "Field",
    "FileRefused",
    "ImportRefused",
    "Importer",
    "Outcome",
    "Plan",
    "Recorder",
    "Row",
    "RowPlan",
    "Table",
    "UndoRefused",
    "Upload",
    "apply",
    "errors_csv",
    "importer_for",
    "importers",
    "parse_date",
    "plan",
    "register",
    "tombstoned",
    "undo",
]
