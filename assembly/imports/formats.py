"""Files from strangers, turned into rows: CSV, JSON, GeoJSON, plain lines, zip archives.

Everything here is about bytes and text, nothing about the database. A file that cannot be read as
a whole raises `FileRefused` with a sentence a person can act on; a file that can be read gives a
`Table`: its columns and its rows, each with the line number a spreadsheet shows (the header is
line 1, so the first row is line 2; a JSON or GeoJSON element is numbered from 1).
"""

import csv
import dataclasses
import datetime
import io
import json
import re
import zipfile

from django.utils.translation import gettext as _

from assembly.domain import DomainError

# The biggest file (or set of files, once unzipped) an import reads: 20 MB holds about 200,000
# attendance rows or 20,000 commons, far more than an assembly moves in with.
MAX_FILE_BYTES = 20 * 1024 * 1024
# A zip may hold at most this many files (the charter's versions: one file each).
MAX_FILES = 500


class FileRefused(DomainError):
    """The file as a whole cannot be imported (too big, not text, not the expected format…)."""


@dataclasses.dataclass(frozen=True)
class Upload:
    """One file given to an import, as its name and its bytes."""

    name: str
    content: bytes


@dataclasses.dataclass
class Row:
    """One row of a file. `values` maps a column to its cell (text for CSV; for JSON the element's
    value, nested objects flattened to dotted columns: `geo.latitude`). `source` names the file
    when several were given."""

    line: int
    values: dict
    source: str = ""


@dataclasses.dataclass
class Table:
    columns: list[str]
    rows: list[Row]
    format: str  # "csv", "json", "geojson", "lines" or "files"


def size_of(uploads: list[Upload]) -> int:
    return sum(len(upload.content) for upload in uploads)


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            _("The file is %(size)s MB; an import takes files up to %(limit)s MB.")
            % {"size": round(size / (1024 * 1024), 1), "limit": MAX_FILE_BYTES // (1024 * 1024)}
        )


def unpack(uploads: list[Upload]) -> list[Upload]:
    """The files themselves: each zip archive replaced by the files it holds (folders and hidden
    files left out), the total capped at MAX_FILE_BYTES once unzipped."""
    check_size(size_of(uploads))
    files = []
    for upload in uploads:
        if not zipfile.is_zipfile(io.BytesIO(upload.content)):
            if upload.name.lower().endswith(".zip"):
                raise FileRefused(
                    _("The archive %(name)s cannot be opened: it is not a complete zip file.")
                    % {"name": upload.name}
                )
            files.append(upload)
            continue
        try:
            with zipfile.ZipFile(io.BytesIO(upload.content)) as archive:
                members = [
                    info
                    for info in archive.infolist()
                    if not info.is_dir()
                    and not any(
                        part.startswith((".", "__MACOSX")) for part in info.filename.split("/")
                    )
                ]
                if len(members) > MAX_FILES:
                    raise FileRefused(
                        _("The archive holds %(count)s files; an import takes at most %(limit)s.")
                        % {"count": len(members), "limit": MAX_FILES}
                    )
                # The sizes a zip declares can lie: read each file with a cap, not trusting them.
                budget = MAX_FILE_BYTES - (size_of(files))
                for info in members:
                    with archive.open(info) as member:
                        content = member.read(budget + 1)
                    budget -= len(content)
                    if budget < 0:
                        check_size(MAX_FILE_BYTES + 1)
                    files.append(Upload(info.filename.rsplit("/", 1)[-1], content))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as error:
            raise FileRefused(
                _("The archive %(name)s cannot be opened: %(error)s")
                % {"name": upload.name, "error": error}
            ) from error
        except RuntimeError as error:  # an encrypted archive
            raise FileRefused(
                _("The archive %(name)s is protected by a password: give it unprotected.")
                % {"name": upload.name}
            ) from error
    check_size(size_of(files))
    return files


def decode(content: bytes, name: str = "") -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with its BOM, or else Windows-1252
    (what French spreadsheet programs save as "CSV"). A file with NUL characters is not text."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                text = None
    if text is None or "\x00" in text:
        raise FileRefused(
            _(
                "%(name)s is not a text file that can be read (UTF-8 or Windows-1252). Save it "
                "as “CSV UTF-8” from a spreadsheet program and try again."
            )
            % {"name": name or _("The file")}
        )
    return text


def sniff_delimiter(text: str) -> str:
    """`;` when the header line has more semicolons than commas (French spreadsheets), else `,`."""
    header = text.split("\n", 1)[0]
    if header.count(";") > header.count(","):
        return ";"
    if header.count("\t") > max(header.count(","), 0):
        return "\t"
    return ","


def csv_table(text: str) -> Table:
    """Rows of a CSV text whose first line names the columns. Blank lines are left out; a cell
    beyond the header's columns is refused on its line by the importer (column `""`)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise FileRefused(_("The CSV file needs a header line naming its columns."))
        columns = [cell.strip() for cell in header]
        rows = []
        # Records, not physical lines: a quoted cell may hold line breaks, and a spreadsheet
        # still shows its record as one row.
        for line, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            values = {}
            for index, cell in enumerate(record):
                column = columns[index] if index < len(columns) else ""
                if column or cell.strip():
                    values[column] = cell.strip()
            rows.append(Row(line=line, values=values))
    except csv.Error as error:
        raise FileRefused(
            _("The CSV file cannot be read near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    return Table(columns=[c for c in columns if c], rows=rows, format="csv")


def load_json(text: str):
    if re.search(r"\\u0000", text, re.IGNORECASE):
        # A NUL written as JSON's escape: no database text can hold it (PostgreSQL refuses it).
        raise FileRefused(
            _("The JSON file holds NUL characters (\\u0000), which cannot be imported.")
        )
    try:
        data = json.loads(text)
        # A lone surrogate written as an escape (\ud800) is no character: no database takes it.
        json.dumps(data, ensure_ascii=False).encode()
        return data
    except UnicodeEncodeError as error:
        raise FileRefused(
            _("The JSON file holds characters that do not exist (%s).")
            % error.object[error.start : error.end].encode("unicode_escape").decode()
        ) from error
    except json.JSONDecodeError as error:
        raise FileRefused(
            _("The file is not valid JSON (line %(line)s, column %(column)s: %(error)s).")
            % {"line": error.lineno, "column": error.colno, "error": error.msg}
        ) from error
    except RecursionError as error:
        raise FileRefused(_("The JSON file is nested too deeply to be read.")) from error


def flatten(value, prefix: str = "") -> dict:
    """Nested objects as dotted columns ({"geo": {"latitude": 1}} → {"geo.latitude": 1}); lists
    and scalars are kept as they are."""
    if isinstance(value, dict) and value:
        flat = {}
        for key, inner in value.items():
            flat.update(flatten(inner, f"{prefix}{key}."))
        return flat
    return {prefix[:-1]: value} if prefix else {}


def _columns_of(rows: list[Row]) -> list[str]:
    columns = {}
    for row in rows:
        for column in row.values:
            columns.setdefault(column, None)
    return list(columns)


def json_table(data) -> Table:
    """A JSON list of objects, or an object holding such a list under `data`, `elements`,
    `features` or `items` (the GoGoCarto export says `data`)."""
    items = data
    if isinstance(data, dict):
        for key in ("data", "elements", "features", "items"):
            if isinstance(data.get(key), list):
                items = data[key]
                break
    if not isinstance(items, list):
        raise FileRefused(_("The JSON file must hold a list of objects (or {“data”: [...]})."))
    rows = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise FileRefused(_("Element %s of the JSON file is not an object.") % number)
        try:
            rows.append(Row(line=number, values=flatten(item)))
        except RecursionError as error:
            raise FileRefused(_("The JSON file is nested too deeply to be read.")) from error
    return Table(columns=_columns_of(rows), rows=rows, format="json")


def geojson_table(data) -> Table:
    """The features of a FeatureCollection: their properties, plus `longitude` and `latitude`
    from a Point geometry (RFC 7946 order), or `__geometry_error` for any other geometry."""
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise FileRefused(
            _("The GeoJSON file must hold a FeatureCollection with a list of features.")
        )
    rows = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(feature, dict) or not isinstance(properties or {}, dict):
            raise FileRefused(
                _("Feature %s is not a GeoJSON Feature with an object of properties.") % number
            )
        values = {
            key: "" if value is None else value if isinstance(value, str) else json.dumps(value)
            for key, value in (properties or {}).items()
            if isinstance(key, str)
        }
        geometry = feature.get("geometry")
        if geometry:
            coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
            if (
                isinstance(geometry, dict)
                and geometry.get("type") == "Point"
                and isinstance(coordinates, list)
                and len(coordinates) >= 2
                and all(
                    isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates[:2]
                )
            ):
                values["longitude"], values["latitude"] = (str(c) for c in coordinates[:2])
            else:
                values["__geometry_error"] = _("only Point geometries can be imported")
        rows.append(Row(line=number, values=values))
    return Table(
        columns=[c for c in _columns_of(rows) if c != "__geometry_error"],
        rows=rows,
        format="geojson",
    )


def lines_table(text: str, column: str) -> Table:
    """One value per non-blank line (a mailing list's plain export), under `column`."""
    rows = [
        Row(line=number, values={column: line.strip()})
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
    return Table(columns=[column], rows=rows, format="lines")


def read_table(uploads: list[Upload]) -> Table:
    """The one file of a CSV, JSON or GeoJSON import, recognised by its content (a `{` or `[`
    first means JSON; a FeatureCollection means GeoJSON), not by its name."""
    files = unpack(uploads)
    if len(files) != 1:
        raise FileRefused(_("Give one file (%s were given).") % len(files))
    text = decode(files[0].content, files[0].name)
    stripped = text.lstrip()
    if not stripped:
        raise FileRefused(_("The file is empty."))
    if stripped.startswith(("{", "[")):
        data = load_json(text)
        if isinstance(data, dict) and data.get("type") == "FeatureCollection":
            return geojson_table(data)
        return json_table(data)
    return csv_table(text)


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y")


def parse_date(value) -> datetime.date:
    """A date as people write it in a sheet: 2023-01-26, 26/01/2023, 26/01/23, 26.01.2023 (day
    first, as in France); a date-time keeps its date. ValueError names what could not be read."""
    text = str(value or "").strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})[T ]", text)
    if match:
        text = match.group(1)
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date only)
        except ValueError:
            continue
    raise ValueError(
        _("“%s” is not a date (write 2023-01-26 or 26/01/2023)") % text[:40]
        if text
        else _("no date")
    )
