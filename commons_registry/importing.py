"""Import commons from a CSV or GeoJSON file: validate every row, then write all or nothing.

Rows match existing entries on `external_id` first, then on `slug` (given, or made from the name),
so running the same import twice changes nothing the second time. Imported entries are published:
importing is an operator's act, done from the command line.
"""

import csv
import dataclasses
import io
import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assembly.domain import FORMULA_STARTS

from .exports import CSV_TEXT_COLUMNS
from .models import Category, Commons

TEXT_FIELDS = [
    "name", "summary", "description", "resource", "community", "governance", "address",
    "website", "contact_email", "licence",
]  # fmt: skip
KNOWN_COLUMNS = {
    *TEXT_FIELDS, "slug", "external_id", "category", "status", "latitude", "longitude",
    "founded_year", "url", "last_confirmed_at",
}  # fmt: skip


# A town's registry holds hundreds of entries, a few hundred kilobytes: a file fifty times larger
# than the biggest we expect is a mistake (a wrong file, a database dump), not commons to import.
MAX_FILE_BYTES = 10 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read (unknown format, broken JSON, no name column…)."""


@dataclasses.dataclass
class RowError:
    line: int
    field: str
    message: str

    def __str__(self):
        return _("line %(line)s, field %(field)s: %(message)s") % {
            "line": self.line, "field": self.field or "-", "message": self.message,
        }  # fmt: skip


@dataclasses.dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = dataclasses.field(default_factory=list)
    dry_run: bool = False
    written: bool = False


@dataclasses.dataclass
class Row:
    line: int
    values: dict


def read_rows(path: Path) -> list[Row]:
    """The rows of a CSV (header line first) or GeoJSON FeatureCollection file."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".geojson", ".json"}:
        raise ImportFileError(_("Give a .csv or .geojson file."))
    text = _read_text(path)
    if suffix == ".csv":
        return _csv_rows(text)
    return _geojson_rows(text)


def _read_text(path: Path) -> str:
    """The file's text, refused whole when it is too large, not UTF-8, or holds NUL bytes."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                _("The file is %(size)s MB; the import takes files up to %(limit)s MB.")
                % {"size": size // (1024 * 1024), "limit": MAX_FILE_BYTES // (1024 * 1024)}
            )
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "The file is not UTF-8 text (byte %(position)s cannot be read). Save it as "
                "UTF-8, e.g. “CSV UTF-8” in a spreadsheet, and try again."
            )
            % {"position": error.start + 1}
        ) from error
    except OSError as error:
        raise ImportFileError(_("The file cannot be read: %s") % error.strerror) from error
    if "\x00" in text:
        # PostgreSQL cannot store them, and a text file has none: often UTF-16 saved by mistake.
        raise ImportFileError(
            _("The file holds NUL characters, so it is not UTF-8 text. Save it as UTF-8.")
        )
    return text


def _csv_rows(text: str) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        if not reader.fieldnames or "name" not in reader.fieldnames:
            raise ImportFileError(_("The CSV file needs a header line with a “name” column."))
        rows = []
        for record in reader:
            values = {}
            for key, value in record.items():
                if isinstance(key, str) and key:
                    # A line longer than the header puts its extra cells in a list under None.
                    values[key] = _from_spreadsheet(key, (value or "").strip())
            rows.append(Row(line=reader.line_num, values=values))
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    return rows


def _geojson_rows(text: str) -> list[Row]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(_("The GeoJSON file is not valid JSON: %s") % error) from error
    except RecursionError as error:
        raise ImportFileError(_("The GeoJSON file is nested too deeply to be read.")) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ImportFileError(_("The GeoJSON file must hold a FeatureCollection."))
    features = data.get("features") or []
    if not isinstance(features, list):
        raise ImportFileError(_("The FeatureCollection’s “features” must be a list."))
    rows = []
    for number, feature in enumerate(features, start=1):
        feature = feature or {}
        properties = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(feature, dict) or not isinstance(properties or {}, dict):
            raise ImportFileError(
                _("Feature %s is not a GeoJSON Feature with an object of properties.") % number
            )
        values = {
            key: "" if value is None else str(value).strip()
            for key, value in (properties or {}).items()
        }
        if geometry:
            coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
            if (
                not isinstance(geometry, dict)
                or geometry.get("type") != "Point"
                or not isinstance(coordinates, list)
                or len(coordinates) < 2
            ):
                values["__geometry_error"] = _("only Point geometries can be imported")
            else:
                # RFC 7946: [longitude, latitude].
                values["longitude"], values["latitude"] = (str(c) for c in coordinates[:2])
        rows.append(Row(line=number, values=values))
    return rows


def _from_spreadsheet(column: str, value: str) -> str:
    """Undo the apostrophe the CSV export puts before text a spreadsheet would run as a formula."""
    if (
        column in CSV_TEXT_COLUMNS
        and value.startswith("'")
        and value[1:].startswith(FORMULA_STARTS)
    ):
        return value[1:]
    return value


class _Categories:
    def __init__(self):
        self.by_key = {}
        for category in Category.objects.all():
            self.by_key[category.slug.lower()] = category
            self.by_key[category.name.lower()] = category

    def find(self, value: str):
        return self.by_key.get(value.strip().lower()) or self.by_key.get(slugify(value))


def _decimal(value: str):
    if value == "":
        return None
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("“%s” is not a number") % value) from None


def _build(row: Row, categories: _Categories, existing: dict, seen: set, now) -> tuple:
    """(commons to save or None, changed?, errors) for one row."""
    values = row.values
    errors = []

    def error(field, message):
        errors.append(RowError(row.line, field, str(message)))

    if values.get("__geometry_error"):
        error("geometry", values["__geometry_error"])
    name = values.get("name", "")
    if not name:
        error("name", _("a name is required"))
    external_id = values.get("external_id") or None
    slug = values.get("slug") or slugify(name)[:200]
    key = ("external_id", external_id) if external_id else ("slug", slug)
    if key in seen:
        error(key[0], _("appears twice in the file"))
    seen.add(key)
    if ("slug", slug) in seen and key != ("slug", slug):
        # Another row already takes this address: saving both would break the unique slug.
        error("slug", _("appears twice in the file"))
    seen.add(("slug", slug))

    commons = existing["external_id"].get(external_id) if external_id else None
    if commons is None and slug:
        commons = existing["slug"].get(slug)
    is_new = commons is None
    if is_new:
        commons = Commons(state=Commons.State.PUBLISHED, last_confirmed_at=now, slug=slug or "")

    changes = {}
    for field in TEXT_FIELDS:
        if field in values:
            changes[field] = values[field]
    if external_id:
        changes["external_id"] = external_id
    if "category" in values or is_new:
        category = categories.find(values.get("category", ""))
        if category is None:
            error("category", _("unknown category “%s”") % values.get("category", ""))
        else:
            changes["category_id"] = category.pk
    if values.get("status"):
        if values["status"] not in Commons.Status.values:
            error("status", _("must be one of: %s") % ", ".join(Commons.Status.values))
        else:
            changes["status"] = values["status"]
    for field in ("latitude", "longitude"):
        if field in values:
            try:
                changes[field] = _decimal(values[field])
            except ValueError as problem:
                error(field, problem)
    if values.get("founded_year"):
        try:
            changes["founded_year"] = int(values["founded_year"])
        except ValueError:
            error("founded_year", _("“%s” is not a year") % values["founded_year"])

    changed = is_new
    for field, value in changes.items():
        if getattr(commons, field) != value:
            setattr(commons, field, value)
            changed = True
    # Validate the rest too, so that one run lists every problem of the row.
    already = {problem.field for problem in errors}
    if already & {"latitude", "longitude"}:
        already |= {"latitude", "longitude"}  # one bad coordinate is reason enough
    exclude = {"slug", "external_id"} if not is_new else set()
    exclude |= {"category"} if "category" in already else set()
    try:
        commons.full_clean(exclude=exclude | already)
    except ValidationError as invalid:
        for field, messages in invalid.message_dict.items():
            if field in already:
                continue
            for message in messages:
                error("" if field == "__all__" else field, message)
    if errors:
        return None, False, errors
    return commons, changed, errors


def import_commons(
    path: Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
    now=None,
) -> ImportReport:
    """Validate every row, then write them in one transaction (or nothing, see the module doc)."""
    now = now or timezone.now()
    rows = read_rows(Path(path))
    report = ImportReport(rows=len(rows), dry_run=dry_run)
    categories = _Categories()
    existing = {"external_id": {}, "slug": {}}
    external_ids = [r.values["external_id"] for r in rows if r.values.get("external_id")]
    slugs = [r.values.get("slug") or slugify(r.values.get("name", ""))[:200] for r in rows]
    for commons in Commons.objects.filter(external_id__in=external_ids):
        existing["external_id"][commons.external_id] = commons
    for commons in Commons.objects.filter(slug__in=slugs):
        existing["slug"][commons.slug] = commons

    seen = set()
    planned = []
    for index, row in enumerate(rows, start=1):
        commons, changed, errors = _build(row, categories, existing, seen, now)
        if errors:
            report.errors.extend(errors)
            report.skipped += 1
        elif commons._state.adding:
            planned.append(commons)
            report.created += 1
        elif changed:
            planned.append(commons)
            report.updated += 1
        else:
            report.unchanged += 1
        if progress:
            progress(index, len(rows))

    if dry_run or (report.errors and not skip_invalid):
        return report
    with transaction.atomic():
        for commons in planned:
            commons.save()
    report.written = True
    return report
