"""The import engine: read a file, map its columns, plan every row, then apply the plan in one
transaction, or undo it later. The browser (assembly/imports/views.py) and `manage.py import` call
the same functions; each kind of import is an `Importer` registered by its app (see __init__.py).

The steps, each its own function:

- `plan(kind, uploads, mapping)` reads the files (`Importer.read`, formats.py), maps the columns
  to the importer's fields (`resolve_mapping`: the names given, then the mapping saved for the
  kind, then the French and English header names each field recognises), and asks the importer
  for one `RowPlan` per row (`Importer.plan_rows`: create, update, unchanged, skip or error, with
  the reason). The engine then skips a row whose key repeats an earlier row, and a row that would
  create again an entry an earlier import created and someone deleted since (its tombstone), and
  asks the importer for the side effects to spell out (`Importer.effects`). Nothing is written.
- `apply(plan, by, skip_errors=False)` refuses a plan with error rows unless `skip_errors`, then,
  in one transaction under the kind's lock, writes the create and update rows
  (`Importer.apply_rows`, which names what it wrote to the `Recorder`), runs `Importer.after_apply`
  once (a recompute), and records the `ImportBatch` with its counts and its `ImportRecord`s.
  If another import of the kind was applied or undone since the plan was made, it plans again
  first. An import never sends an e-mail: invitations and notices are separate actions.
- `undo(batch, by)` deletes what the batch created and puts back what it changed, in one
  transaction, while nothing depends on it: not when a later batch touched the same entries, nor
  when an importer's `undo_refusals` or the database's protected foreign keys say something
  refers to them.

Every row has a stable key (a source and its id, an e-mail, a meeting and a person): importing
the same file again finds every row unchanged.
"""

import dataclasses
import datetime
import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assembly.domain import DomainError, SpreadsheetWriter
from assembly.folding import fold

from . import formats
from .formats import FileRefused, Row, Table, Upload
from .models import ImportBatch, ImportFile, ImportMapping, ImportRecord


class Outcome(models.TextChoices):
    CREATE = "create", gettext_lazy("create")
    UPDATE = "update", gettext_lazy("update")
    UNCHANGED = "unchanged", gettext_lazy("unchanged")
    SKIP = "skip", gettext_lazy("skip")
    ERROR = "error", gettext_lazy("error")


class ImportRefused(DomainError):
    """The plan cannot be applied (error rows, or the data changed under it); nothing written."""


class MappingIncomplete(FileRefused):
    """No column gives a required field: the file's columns and the mapping so far come along,
    so that the page can ask for the mapping."""

    def __init__(self, table: Table, mapping: dict[str, str], message):
        super().__init__(message)
        self.table = table
        self.mapping = mapping


class UndoRefused(DomainError):
    """The batch cannot be undone: `message` says what depends on it."""


@dataclasses.dataclass(frozen=True)
class Field:
    """One field of an importer. `synonyms` are the column headers recognised without mapping,
    compared folded (case, accents, spaces and punctuation ignored: "E-mail" is "email")."""

    name: str
    label: Any
    synonyms: tuple[str, ...] = ()
    required: bool = False
    help: Any = ""

    def recognises(self, header: str) -> bool:
        folded = header_key(header)
        return folded in {header_key(self.name), *(header_key(s) for s in self.synonyms)}


def header_key(header: str) -> str:
    return "".join(c for c in fold(header) if c.isalnum())


@dataclasses.dataclass
class RowPlan:
    """What the import does with one row. `key` is the row's stable key; `label` names the entry
    for a person; `reason` says why a row is skipped, refused, or what an update changes; `data`
    is the importer's own (what to write at apply)."""

    line: int
    outcome: str
    key: str = ""
    label: str = ""
    reason: str = ""
    values: dict = dataclasses.field(default_factory=dict)
    source: str = ""
    data: Any = None

    @property
    def is_error(self) -> bool:
        return self.outcome == Outcome.ERROR

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)


COUNTED = {
    Outcome.CREATE: "created",
    Outcome.UPDATE: "updated",
    Outcome.UNCHANGED: "unchanged",
    Outcome.SKIP: "skipped",
    Outcome.ERROR: "errors",
}


@dataclasses.dataclass
class Plan:
    """Everything an import would do, before anything is written."""

    importer: "Importer"
    uploads: list[Upload]
    table: Table
    mapping: dict[str, str]  # column → field ("" for a column left out)
    rows: list[RowPlan] = dataclasses.field(default_factory=list)
    effects: list[str] = dataclasses.field(default_factory=list)
    state: dict = dataclasses.field(default_factory=dict)  # the importer's own, plan to apply
    marker: tuple = ()
    now: Any = None

    @property
    def kind(self) -> str:
        return self.importer.kind

    @property
    def file_name(self) -> str:
        return ", ".join(upload.name for upload in self.uploads)[:255]

    @property
    def sha256(self) -> str:
        digest = hashlib.sha256()
        for upload in self.uploads:
            digest.update(upload.content)
        return digest.hexdigest()

    @property
    def size(self) -> int:
        return formats.size_of(self.uploads)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(COUNTED.values(), 0)
        for row in self.rows:
            counts[COUNTED[row.outcome]] += 1
        return counts

    @property
    def summary_line(self) -> str:
        return " ".join(f"{name}={count}" for name, count in self.counts.items())

    @property
    def errors(self) -> list[RowPlan]:
        return [row for row in self.rows if row.is_error]

    @property
    def valid_rows(self) -> int:
        return len(self.rows) - len(self.errors)

    @property
    def to_write(self) -> list[RowPlan]:
        return [row for row in self.rows if row.outcome in (Outcome.CREATE, Outcome.UPDATE)]

    @property
    def ignored_columns(self) -> list[str]:
        return [column for column in self.table.columns if not self.mapping.get(column)]


class Recorder:
    """What `Importer.apply_rows` tells the engine it wrote, for undo and tombstones."""

    def __init__(self, kind: str):
        self.kind = kind
        self.records: list[ImportRecord] = []
        self._types: dict[type, ContentType] = {}

    def _record(self, row: RowPlan, obj, action, before=None):
        model = type(obj)._meta.concrete_model
        if model not in self._types:
            self._types[model] = ContentType.objects.get_for_model(model)
        self.records.append(
            ImportRecord(
                key_digest=key_digest(self.kind, row.key),
                action=action,
                content_type=self._types[model],
                object_id=obj.pk,
                before=before,
            )
        )

    def created(self, row: RowPlan, obj) -> None:
        """`obj` (saved) exists because of this row: undo deletes it."""
        self._record(row, obj, ImportRecord.Action.CREATED)

    def updated(self, row: RowPlan, obj, before: dict) -> None:
        """`obj` was changed by this row: undo puts `before` ({field: old value}) back."""
        self._record(row, obj, ImportRecord.Action.UPDATED, before)


class Importer:
    """One kind of import. Subclass, set the attributes, write `plan_rows` and `apply_rows`, and
    register an instance from the app's `AppConfig.ready()` with `assembly.imports.register`."""

    kind: str = ""
    label: Any = ""
    # What files it takes, for the upload page and the command's help.
    description: Any = ""
    fields: tuple[Field, ...] = ()
    # Several files at once (or a zip of them), each a row: the charter's versions.
    several_files: bool = False
    # False when the file's columns are fixed (one address per line, Markdown files).
    mappable: bool = True
    order: int = 100

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def read(self, uploads: list[Upload]) -> Table:
        """The files as a table; CSV, JSON or GeoJSON by default (formats.read_table)."""
        return formats.read_table(uploads)

    def refusal(self) -> str | None:
        """Why this kind cannot be imported at all now (the charter already has versions)."""
        return None

    def plan_rows(self, rows: list[Row], plan: Plan) -> list[RowPlan]:
        """One RowPlan per row, in order; `row.values` are keyed by field name. Look up what
        exists in a few queries for all rows, not one per row. Write nothing."""
        raise NotImplementedError

    def effects(self, plan: Plan) -> list[str]:
        """The side effects to spell out ("34 meetings created", "21 people become eligible")."""
        return []

    def apply_rows(self, plan: Plan, rows: list[RowPlan], recorder: Recorder, by) -> None:
        """Write `rows` (create and update only), telling `recorder` each entry written."""
        raise NotImplementedError

    def after_apply(self, plan: Plan, batch: ImportBatch) -> None:
        """Once, after every row is written, in the same transaction (a membership recompute)."""

    def undo_refusals(self, batch: ImportBatch) -> list[str]:
        """What depends on the batch's entries, each a sentence; empty when undo may go on."""
        return []

    def after_undo(self, batch: ImportBatch) -> None:
        """Once, after the batch's entries are gone, in the same transaction."""


_importers: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    """Add (or replace, on a re-import of the app) the importer of its kind."""
    _importers[importer.kind] = importer


def importers() -> list[Importer]:
    return sorted(_importers.values(), key=lambda importer: (importer.order, importer.kind))


def importer_for(kind: str) -> Importer | None:
    return _importers.get(kind)


def key_digest(kind: str, key: str) -> str:
    return hashlib.sha256(f"{kind}\x00{key}".encode()).hexdigest()


def saved_mapping(kind: str) -> dict[str, str]:
    found = ImportMapping.objects.filter(kind=kind).values_list("columns", flat=True).first()
    return found if isinstance(found, dict) else {}


def resolve_mapping(
    importer: Importer, columns: list[str], given: dict | None = None, saved: dict | None = None
) -> dict[str, str]:
    """{column: field} for every column: what was given, else what was saved for the kind, else
    the field whose name or synonym the header is; "" leaves a column out. Several
    columns may give one field: in each row, the first that is not empty wins."""
    names = {f.name for f in importer.fields}
    mapping = {}
    folded_given = {header_key(c): f for c, f in (given or {}).items()}
    for column in columns:
        field = None
        if header_key(column) in folded_given:
            field = folded_given[header_key(column)] or ""
        elif column in (saved or {}) and (saved[column] in names or saved[column] == ""):
            field = saved[column]
        else:
            field = next((f.name for f in importer.fields if f.recognises(column)), "")
        if field not in names:
            field = ""
        mapping[column] = field
    return mapping


def missing_fields(importer: Importer, mapping: dict[str, str]) -> list[Field]:
    mapped = set(mapping.values())
    return [f for f in importer.fields if f.required and f.name not in mapped]


def _marker(kind: str) -> tuple:
    """Changes when an import of the kind is applied or undone: a plan made before is stale."""
    latest = (
        ImportBatch.objects.filter(kind=kind)
        .exclude(status=ImportBatch.Status.PENDING)
        .aggregate(applied=models.Max("applied_at"), undone=models.Max("undone_at"))
    )
    return (latest["applied"], latest["undone"])


def tombstoned(kind: str, keys: Iterable[str]) -> set[str]:
    """The keys whose entries an applied import of this kind created, all since deleted."""
    by_digest = {key_digest(kind, key): key for key in keys if key}
    if not by_digest:
        return set()
    records = defaultdict(list)  # content type → [(digest, object id)]
    digests = list(by_digest)
    for start in range(0, len(digests), 500):
        for digest, content_type, object_id in ImportRecord.objects.filter(
            batch__kind=kind,
            batch__status=ImportBatch.Status.APPLIED,
            action=ImportRecord.Action.CREATED,
            key_digest__in=digests[start : start + 500],
        ).values_list("key_digest", "content_type", "object_id"):
            records[content_type].append((digest, object_id))
    alive, dead = set(), set()
    for content_type, pairs in records.items():
        model = ContentType.objects.get_for_id(content_type).model_class()
        ids = [object_id for _digest, object_id in pairs]
        existing = set()
        for start in range(0, len(ids), 500):
            existing.update(
                model._base_manager.filter(pk__in=ids[start : start + 500]).values_list(
                    "pk", flat=True
                )
            )
        for digest, object_id in pairs:
            (alive if object_id in existing else dead).add(digest)
    return {by_digest[digest] for digest in dead - alive}


def plan(kind: str, uploads: list[Upload], mapping: dict | None = None, *, now=None) -> Plan:
    """What importing these files would do, row by row; writes nothing. FileRefused when the
    files cannot be imported as a whole."""
    importer = importer_for(kind)
    if importer is None:
        raise FileRefused(
            _("Unknown kind of import “%(kind)s”; the kinds are: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(i.kind for i in importers())}
        )
    if not uploads:
        raise FileRefused(_("Give a file to import."))
    formats.check_size(formats.size_of(uploads))
    if not importer.several_files and len(uploads) > 1:
        raise FileRefused(_("This import takes one file (%s were given).") % len(uploads))
    refusal = importer.refusal()
    if refusal:
        raise FileRefused(refusal)
    table = importer.read(uploads)
    if not table.rows:
        raise FileRefused(_("The file holds no row to import."))
    if importer.mappable:
        resolved = resolve_mapping(importer, table.columns, mapping, saved_mapping(kind))
    else:
        resolved = {column: column for column in table.columns}
    missing = missing_fields(importer, resolved) if importer.mappable else []
    if missing:
        raise MappingIncomplete(
            table,
            resolved,
            _("No column gives %(fields)s. Name a column so, or say which column gives it.")
            % {"fields": ", ".join(f"“{f.name}” ({f.label})" for f in missing)},
        )
    result = Plan(
        importer=importer,
        uploads=uploads,
        table=table,
        mapping=resolved,
        marker=_marker(kind),
        now=now or timezone.now(),
    )
    if importer.mappable:
        rows = [
            Row(line=row.line, values=_fields_of(row, resolved), source=row.source)
            for row in table.rows
        ]
    else:
        rows = table.rows
    result.rows = importer.plan_rows(rows, result)
    _skip_repeats_and_tombstones(result)
    result.effects = [*importer.effects(result), _("No e-mail is sent.")]
    return result


def _fields_of(row: Row, mapping: dict[str, str]) -> dict:
    """The row's values by field; where several columns give a field (GoGoCarto's `lat` and
    `geo.latitude`), the first that is not empty. Keys starting with "__" are what the reader
    found wrong with the row (`__geometry_error`): they pass as they are."""
    values = {key: value for key, value in row.values.items() if key.startswith("__")}
    for column, field in mapping.items():
        if not field or column not in row.values:
            continue
        value = row.values[column]
        if field not in values or values[field] in ("", None, [], {}):
            values[field] = value
    return values


def _skip_repeats_and_tombstones(plan: Plan) -> None:
    first_line = {}
    for row in plan.rows:
        if row.outcome == Outcome.ERROR or not row.key:
            continue
        if row.key in first_line:
            row.outcome = Outcome.SKIP
            row.reason = _("repeats line %s; imported once") % first_line[row.key]
        else:
            first_line[row.key] = row.line
    creating = [row for row in plan.rows if row.outcome == Outcome.CREATE]
    gone = tombstoned(plan.kind, (row.key for row in creating))
    for row in creating:
        if row.key in gone:
            row.outcome = Outcome.SKIP
            row.reason = _("deleted after an earlier import; not brought back")


def _lock(kind: str) -> None:
    """One import of a kind at a time: the kind's mapping row, locked to the transaction's end."""
    ImportMapping.objects.get_or_create(kind=kind)
    ImportMapping.objects.select_for_update().filter(kind=kind).get()


def apply(
    the_plan: Plan, by, *, skip_errors: bool = False, batch: ImportBatch | None = None
) -> ImportBatch:
    """Write the plan in one transaction and return its applied batch (`batch`: the pending one
    the browser kept the file in). ImportRefused, with nothing written, when rows have errors
    and `skip_errors` is not given, or when the entries changed so that a row can no longer be
    written."""
    kind = the_plan.kind
    try:
        with transaction.atomic():
            _lock(kind)
            if _marker(kind) != the_plan.marker:
                the_plan = plan(kind, the_plan.uploads, the_plan.mapping, now=the_plan.now)
            if the_plan.errors and not skip_errors:
                raise ImportRefused(
                    ngettext(
                        "%(count)s row has an error: nothing was imported. Fix it, or import "
                        "only the valid rows.",
                        "%(count)s rows have an error: nothing was imported. Fix them, or import "
                        "only the valid rows.",
                        len(the_plan.errors),
                    )
                    % {"count": len(the_plan.errors)}
                )
            if batch is None:
                batch = ImportBatch(kind=kind)
            batch.status = ImportBatch.Status.APPLIED
            batch.file_name = the_plan.file_name
            batch.sha256 = the_plan.sha256
            batch.size = the_plan.size
            batch.mapping = the_plan.mapping
            batch.skip_errors = skip_errors
            batch.created_by = by
            batch.applied_at = timezone.now()
            batch.effects = [str(effect) for effect in the_plan.effects]
            for name, count in the_plan.counts.items():
                setattr(batch, name, count)
            batch.save()
            recorder = Recorder(kind)
            to_write = the_plan.to_write
            if to_write:
                the_plan.importer.apply_rows(the_plan, to_write, recorder, by)
            for record in recorder.records:
                record.batch = batch
            ImportRecord.objects.bulk_create(recorder.records, batch_size=1000)
            the_plan.importer.after_apply(the_plan, batch)
            if the_plan.importer.mappable:
                ImportMapping.objects.filter(kind=kind).update(
                    columns=the_plan.mapping, updated_at=timezone.now()
                )
            ImportFile.objects.filter(batch=batch).delete()
    except IntegrityError as error:
        raise ImportRefused(
            _(
                "The entries changed while the import was written, so nothing was imported. "
                "Look at the preview again."
            )
        ) from error
    return batch


def undo(batch: ImportBatch, by) -> ImportBatch:
    """Delete what the batch created and put back what it changed, or refuse (UndoRefused) and
    leave everything as it is."""
    importer = importer_for(batch.kind)
    with transaction.atomic():
        _lock(batch.kind)
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.APPLIED:
            raise UndoRefused(_("Only an applied import can be undone."))
        digests = batch.records.values("key_digest")
        later = (
            ImportBatch.objects.filter(
                kind=batch.kind,
                status=ImportBatch.Status.APPLIED,
                applied_at__gt=batch.applied_at,
                records__key_digest__in=digests,
            )
            .distinct()
            .order_by("applied_at")
            .first()
        )
        if later is not None:
            raise UndoRefused(
                _("A later import (%(file)s, %(date)s) changed the same entries: undo it first.")
                % {
                    "file": later.file_name,
                    "date": timezone.localtime(later.applied_at).strftime("%Y-%m-%d %H:%M"),
                }
            )
        refusals = importer.undo_refusals(batch) if importer else []
        if refusals:
            raise UndoRefused(" ".join(str(reason) for reason in refusals))
        records = list(batch.records.select_related("content_type").order_by("-id"))
        for record in records:
            if record.action == ImportRecord.Action.UPDATED and record.before:
                model = record.content_type.model_class()
                model._base_manager.filter(pk=record.object_id).update(**record.before)
        created = defaultdict(list)
        for record in records:
            if record.action == ImportRecord.Action.CREATED:
                created[record.content_type.model_class()].append(record.object_id)
        try:
            with transaction.atomic():
                for model, ids in created.items():
                    # The base manager: undo is the one deletion an importer's entries allow,
                    # whatever the model's own manager forbids (charter versions).
                    # In slices: PostgreSQL takes at most 65,535 parameters in one statement.
                    for start in range(0, len(ids), 1000):
                        model._base_manager.filter(pk__in=ids[start : start + 1000]).delete()
        except (ProtectedError, RestrictedError) as error:
            objects = getattr(error, "protected_objects", None) or error.restricted_objects
            blocking = sorted({str(type(obj)._meta.verbose_name_plural) for obj in objects})
            raise UndoRefused(
                _("Entries of this import are used elsewhere (%(what)s): it cannot be undone.")
                % {"what": ", ".join(blocking)}
            ) from error
        batch.records.all().delete()
        batch.status = ImportBatch.Status.UNDONE
        batch.undone_at = timezone.now()
        batch.undone_by = by
        batch.save(update_fields=["status", "undone_at", "undone_by"])
        if importer:
            importer.after_undo(batch)
    return batch


def errors_csv(the_plan: Plan) -> str:
    """The error rows as a CSV a spreadsheet opens safely: line, reason, then the row's fields."""
    fields = [f.name for f in the_plan.importer.fields]
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    # Column names stay English whatever the language, like every export's: scripts read them.
    writer.writerow(["line", "file", "reason", *fields])
    for row in the_plan.errors:
        writer.writerow(
            [
                row.line,
                row.source,
                row.reason,
                *(_cell(row.values.get(name)) for name in fields),
            ]
        )
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def keep_pending(kind: str, uploads: list[Upload], by, mapping: dict | None = None) -> ImportBatch:
    """A pending batch holding the uploaded files between the browser's steps."""
    formats.check_size(formats.size_of(uploads))
    digest = hashlib.sha256()
    for upload in uploads:
        digest.update(upload.content)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=kind,
            file_name=", ".join(u.name for u in uploads)[:255],
            sha256=digest.hexdigest(),
            size=formats.size_of(uploads),
            mapping=mapping or {},
            created_by=by,
        )
        ImportFile.objects.bulk_create(
            ImportFile(batch=batch, name=u.name[:255], content=u.content) for u in uploads
        )
    return batch


def uploads_of(batch: ImportBatch) -> list[Upload]:
    return [
        Upload(name, bytes(content))
        for name, content in batch.files.order_by("id").values_list("name", "content")
    ]


def forget_abandoned(now=None, older_than_hours: int = 24) -> int:
    """Pending batches nobody applied within a day, with their files: deleted."""
    limit = (now or timezone.now()) - datetime.timedelta(hours=older_than_hours)
    deleted, _by_model = ImportBatch.objects.filter(
        status=ImportBatch.Status.PENDING, created_at__lt=limit
    ).delete()
    return deleted


def batches_of(person) -> list[dict]:
    """The imports a person applied or undid, for their data export."""
    return [
        {
            "kind": batch.kind,
            "file_name": batch.file_name,
            "status": batch.status,
            "created_at": batch.created_at.isoformat(),
            "imported_by_me": batch.created_by_id == person.pk,
            "undone_by_me": batch.undone_by_id == person.pk,
        }
        for batch in ImportBatch.objects.filter(
            models.Q(created_by=person) | models.Q(undone_by=person)
        ).order_by("created_at")
    ]
