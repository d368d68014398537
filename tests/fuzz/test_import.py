"""Every importer of the import engine fed odd files: random bytes, wrong encodings, broken
structures, formulas, Unicode names, duplicate rows, dates that do not exist, zips, 50 MB files.

Whatever the file, for every registered kind (commons and charter here; attendance, people and
subscribers once their importers are registered): the engine plans it or refuses it in words
(FileRefused, never another exception); applying the plan writes it or refuses in words
(ImportRefused), and a refusal leaves every table as it was; the pages answer without a 500; the
command exits 0 or 1 with its summary line.
"""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assembly import imports
from assembly.imports import MAX_FILE_BYTES, engine
from assembly.models import AssemblyConfiguration
from tests.commons_registry.factories import CommonsFactory
from tests.factories import UserFactory

from . import values as v

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

KINDS = [importer.kind for importer in imports.importers()]
EXAMPLES = 300
PAGE_EXAMPLES = 40


def fuzz_settings(examples):
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


HEADERS = [
    "name", "nom", "slug", "external_id", "id", "category", "catégorie", "status", "summary",
    "résumé", "latitude", "lat", "longitude", "lng", "founded_year", "date", "email", "courriel",
    "e-mail", "meeting", "réunion", "workshop", "atelier", "facilitator", "member_since",
    "statut", "website", "", "name",
]  # fmt: skip
IMPOSSIBLE_DATES = [
    "2023-02-30",
    "31/04/2023",
    "2023-13-01",
    "00/00/0000",
    "29/02/2023",
    "9999-99-99",
]
FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x";"y")']
cell = st.one_of(
    v.text,
    v.number,
    v.coordinate,
    st.sampled_from(
        [
            "autre",
            "active",
            "ext-1",
            "2023-01-26",
            "26/01/2023",
            "a@example.org",
            "oui",
            "x",
            *IMPOSSIBLE_DATES,
            *FORMULAS,
        ]
    ),
)
row = st.lists(cell, max_size=10)
csv_text = st.builds(
    lambda header, rows, delimiter, repeat: (
        delimiter.join(header) + "\n" + "\n".join(delimiter.join(r) for r in rows * repeat)
    ),
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10),
    st.lists(row, max_size=5),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from([1, 2]),  # duplicate rows
)
json_value = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | v.text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(v.text, children, max_size=3),
    max_leaves=10,
)
feature = st.one_of(
    json_value,
    st.fixed_dictionaries(
        {"type": st.just("Feature")},
        optional={
            "properties": st.one_of(json_value, st.dictionaries(st.sampled_from(HEADERS), cell)),
            "geometry": st.one_of(
                json_value,
                st.fixed_dictionaries(
                    {"type": st.sampled_from(["Point", "LineString"]), "coordinates": json_value}
                ),
            ),
        },
    ),
)
geojson_text = st.builds(
    lambda features, extra: json.dumps(
        {"type": "FeatureCollection", "features": features, **extra}
    ),
    st.one_of(st.lists(feature, max_size=4), json_value),
    st.dictionaries(st.sampled_from(["type", "crs"]), json_value, max_size=1),
)
element = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(v.text, st.integers()),
        "name": st.one_of(v.text, json_value),
        "geo": st.one_of(json_value, st.fixed_dictionaries({"latitude": json_value, "longitude": json_value})),
        "lat": json_value,
        "lng": json_value,
        "categories": st.one_of(st.lists(v.text, max_size=3), json_value),
        "address": st.one_of(v.text, st.dictionaries(
            st.sampled_from(["streetAddress", "postalCode", "addressLocality"]), json_value)),
        "description": json_value,
        "website": st.one_of(v.text, json_value),
        "email": st.one_of(v.text, json_value),
    },
)  # fmt: skip
gogocarto_text = st.builds(
    lambda elements, wrapped: json.dumps({"data": elements} if wrapped else elements),
    st.lists(element, max_size=4),
    st.booleans(),
)
markdown_text = st.builds(
    lambda date, body: f"date: {date}\n\n{body}" if date is not None else body,
    st.one_of(st.none(), st.sampled_from(["2019-03-21", "21/03/2019", *IMPOSSIBLE_DATES]), v.text),
    v.text,
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32"]
text_file = st.tuples(
    st.one_of(csv_text, geojson_text, gogocarto_text, markdown_text), st.sampled_from(ENCODINGS)
).map(lambda pair: pair[0].encode(pair[1], errors="replace"))
NAMES = [
    "f.csv", "f.json", "f.geojson", "2019-03-21-charte.md", "2020-02-30-charte.md", "charte.md",
    "x", "a.zip", "2019-03-21.txt", "photo.pdf",
]  # fmt: skip


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number, (name, content) in enumerate(files):
            archive.writestr(f"{number}/{name}", content)  # one folder each: no duplicate name
    return buffer.getvalue()


single_content = st.one_of(st.binary(max_size=2000), text_file)
zip_content = st.lists(st.tuples(st.sampled_from(NAMES), single_content), max_size=4).map(_zip)
upload = st.builds(
    imports.Upload,
    # Names a browser sends (a name with a line break breaks the multipart body, a 400 by Django).
    st.sampled_from([*NAMES, "Éléments ☃ 🌱.csv", "مجلس.md", "=cmd.csv", "..\\..\\x.csv", "../x"]),
    st.one_of(single_content, zip_content),
)


def snapshot():
    """How many rows every table holds: a refusal must leave them all as they were."""
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


@pytest.fixture(autouse=True)
def _english_and_some_data():
    CommonsFactory(name="Jardin du Canal", external_id="ext-1")
    with translation.override("en"):
        yield


def plan_and_apply(kind, uploads, skip_errors):
    """'applied' or 'refused'; any other exception fails the test."""
    try:
        the_plan = imports.plan(kind, uploads)
    except imports.FileRefused as refusal:
        assert str(refusal), "a refusal without words"
        return "refused"
    for row in the_plan.rows:
        assert row.outcome in imports.Outcome.values
        if row.outcome == imports.Outcome.ERROR:
            assert row.reason, f"line {row.line}: an error without a reason"
    engine.errors_csv(the_plan)  # the errors' CSV can always be written
    try:
        imports.apply(the_plan, None, skip_errors=skip_errors)
    except (imports.ImportRefused, imports.FileRefused) as refusal:
        assert str(refusal)
        return "refused"
    return "applied"


@pytest.mark.parametrize("kind", KINDS)
def test_any_file_is_imported_or_refused_in_words_and_a_refusal_writes_nothing(kind):
    importer = imports.importer_for(kind)
    uploads = st.lists(upload, min_size=1, max_size=3 if importer.several_files else 1)

    @fuzz_settings(EXAMPLES)
    @given(files=uploads, skip_errors=st.booleans())
    def import_anything(files, skip_errors):
        with transaction.atomic():
            # An assembly always has its configuration row; it is made at its first read.
            AssemblyConfiguration.get()
            before = snapshot()
            if plan_and_apply(kind, files, skip_errors) == "refused":
                assert snapshot() == before
            transaction.set_rollback(True)

    import_anything()


@pytest.mark.parametrize("kind", KINDS)
def test_the_pages_never_answer_a_500_whatever_the_file(client, kind):
    importer = imports.importer_for(kind)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    uploads = st.lists(upload, min_size=1, max_size=3 if importer.several_files else 1)

    @fuzz_settings(PAGE_EXAMPLES)
    @given(files=uploads)
    def upload_anything(files):
        with transaction.atomic():
            response = client.post(
                reverse("imports:new", kwargs={"kind": kind}),
                {"files": [SimpleUploadedFile(f.name or "f", f.content) for f in files]},
            )
            assert response.status_code in (200, 302)
            if response.status_code == 302:
                page = client.get(response["Location"])
                assert page.status_code == 200
                batch = page.context["batch"]
                plan = page.context.get("plan")
                if plan is not None:
                    expected = plan.summary_line
                    applied = client.post(
                        reverse("imports:apply", kwargs={"pk": batch.pk}),
                        {"expected": expected, "skip_errors": "1"},
                    )
                    assert applied.status_code == 302
                    assert client.get(
                        reverse("imports:errors", kwargs={"pk": batch.pk})
                    ).status_code in (200, 404)
            transaction.set_rollback(True)

    upload_anything()


@pytest.mark.parametrize("kind", KINDS)
def test_a_50_mb_file_is_refused_and_changes_nothing(tmp_path, capsys, kind):
    path = tmp_path / ("huge.md" if kind == "charter" else "huge.csv")
    line = "Jardin,,,autre,active,Un jardin.,50.6,3.0,2012\n"
    with path.open("w", encoding="utf-8") as out:
        out.write("name,slug,external_id,category,status,summary,latitude,longitude,founded_year\n")
        out.write(line * (50 * 1024 * 1024 // len(line)))
    assert path.stat().st_size > MAX_FILE_BYTES
    before = snapshot()
    with pytest.raises(CommandError, match="up to 20 MB") as refused:
        call_command("import", kind, str(path))
    assert refused.value.returncode == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "created=0 updated=0 unchanged=0 skipped=0 errors=0"
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("name\nJardin du Canal\n".encode("utf-32"), "not a text file"),
        (b"name\nJar\x00din\n", "not a text file"),
        (b'{"type": "FeatureCollection", "features": 5}', "list of features"),
        (b'{"type": "FeatureCollection", "features": [[1]]}', "Feature 1"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_an_unreadable_commons_file_is_refused_with_the_reason(tmp_path, content, says):
    path = tmp_path / "communs.csv"
    path.write_bytes(content)
    before = snapshot()
    with pytest.raises(CommandError, match=says):
        call_command("import", "commons", str(path))
    assert snapshot() == before
