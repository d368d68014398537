"""Files into rows (assembly/imports/formats.py): encodings, delimiters, line numbers, JSON and
GeoJSON shapes, zip archives, dates, and the size cap."""

import datetime
import io
import json
import zipfile

import pytest
from django.utils import translation

from assembly.imports import engine, formats
from assembly.imports.formats import FileRefused, Upload


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def table(content: bytes, name="f.csv"):
    return formats.read_table([Upload(name, content)])


@pytest.mark.parametrize(
    "content",
    [
        "nom,ville\nHélène,Lille\n".encode(),
        "\ufeffnom,ville\nHélène,Lille\n".encode(),
        "nom,ville\r\nHélène,Lille\r\n".encode("cp1252"),
        "nom,ville\nHélène,Lille\n".encode("utf-16"),
        "nom;ville\nHélène;Lille\n".encode(),
        "nom\tville\nHélène\tLille\n".encode(),
    ],
    ids=["utf-8", "bom", "windows-1252", "utf-16", "semicolons", "tabs"],
)
def test_encodings_and_delimiters_are_detected(content):
    read = table(content)
    assert read.columns == ["nom", "ville"]
    assert [(row.line, row.values) for row in read.rows] == [
        (2, {"nom": "Hélène", "ville": "Lille"})
    ]


def test_line_numbers_are_those_a_spreadsheet_shows():
    read = table(b'name,notes\nA,"two\nlines"\n\nB,x\n')
    # The header is line 1; a quoted cell over two lines is one row; a blank line is a row too.
    assert [(row.line, row.values["name"]) for row in read.rows] == [(2, "A"), (4, "B")]


def test_semicolons_win_when_the_header_has_more_of_them():
    assert formats.sniff_delimiter("a;b;c,d\n1;2;3,4") == ";"
    assert formats.sniff_delimiter("a,b;c\n") == ","


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "The file is empty"),
        (b"\x00\x01\x02", "not a text file"),
        (b"\n\n", "The file is empty"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "Element 1 of the JSON file is not an object"),
        (b'{"a": 1}', "must hold a list of objects"),
        (b"[" * 100_000, "nested too deeply"),
        (b'{"type": "FeatureCollection", "features": 5}', "list of features"),
        (b'{"type": "FeatureCollection", "features": [[1]]}', "Feature 1"),
    ],
)
def test_an_unreadable_file_is_refused_with_the_reason(content, says):
    with pytest.raises(FileRefused, match=says):
        table(content)


def test_json_objects_are_flattened_to_dotted_columns():
    data = {"data": [{"name": "A", "geo": {"latitude": 1.5, "longitude": 2}, "categories": ["x"]}]}
    read = table(json.dumps(data).encode(), "export.json")
    assert read.format == "json"
    assert read.rows[0].values == {
        "name": "A", "geo.latitude": 1.5, "geo.longitude": 2, "categories": ["x"]}  # fmt: skip
    assert read.rows[0].line == 1


def test_geojson_points_give_longitude_and_latitude_and_other_geometries_an_error():
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [3.1, 50.6]},
         "properties": {"name": "A"}},
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
         "properties": {"name": "B"}},
    ]}  # fmt: skip
    rows = table(json.dumps(data).encode(), "c.geojson").rows
    assert rows[0].values == {"name": "A", "longitude": "3.1", "latitude": "50.6"}
    assert rows[1].values["__geometry_error"] == "only Point geometries can be imported"


def zipped(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_gives_its_files_without_folders_or_hidden_ones():
    content = zipped({"a/2019.md": "un", "a/.DS_Store": "x", "__MACOSX/a/._2019.md": "x"})
    assert formats.unpack([Upload("c.zip", content)]) == [Upload("2019.md", b"un")]


def test_a_zip_that_unpacks_past_20_mb_is_refused():
    bomb = zipped({"big.md": b"0" * (formats.MAX_FILE_BYTES + 10)})
    assert len(bomb) < 100_000
    with pytest.raises(FileRefused, match="up to 20 MB"):
        formats.unpack([Upload("c.zip", bomb)])


def test_a_broken_zip_is_refused():
    broken = zipped({"a.md": "un"})[:-30]
    with pytest.raises(FileRefused, match="cannot be opened"):
        formats.unpack([Upload("c.zip", broken)])


def test_files_over_20_mb_are_refused():
    with pytest.raises(FileRefused, match="an import takes files up to 20 MB"):
        formats.check_size(formats.MAX_FILE_BYTES + 1)
    formats.check_size(formats.MAX_FILE_BYTES)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2023-01-26", datetime.date(2023, 1, 26)),
        ("26/01/2023", datetime.date(2023, 1, 26)),
        ("26/01/23", datetime.date(2023, 1, 26)),
        ("26.01.2023", datetime.date(2023, 1, 26)),
        ("2023-01-26T18:00:00", datetime.date(2023, 1, 26)),
        (" 2023-01-26 ", datetime.date(2023, 1, 26)),
    ],
)
def test_dates_as_people_write_them(text, date):
    assert formats.parse_date(text) == date


@pytest.mark.parametrize("text", ["2023-02-30", "31/04/2023", "hier", "", "01/26/2023"])
def test_dates_that_do_not_exist_are_refused(text):
    with pytest.raises(ValueError, match=r"not a date|no date"):
        formats.parse_date(text)


def test_headers_are_recognised_whatever_their_case_accents_and_punctuation():
    field = engine.Field("email", "e-mail", synonyms=("courriel", "e-mail"))
    assert all(field.recognises(h) for h in ("E-mail", "EMAIL", " Courriel ", "e_mail", "Email"))
    assert not field.recognises("emails")


def test_a_nul_written_as_a_json_escape_is_refused():
    with pytest.raises(FileRefused, match="NUL characters"):
        table(b'[{"name": "Jar\\u0000din"}]', "f.json")


def test_a_lone_surrogate_written_as_a_json_escape_is_refused():
    with pytest.raises(FileRefused, match="characters that do not exist"):
        table(b'[{"name": "Jar\\ud800din"}]', "f.json")
