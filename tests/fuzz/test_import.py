"""The commons import fed random bytes, wrong encodings, broken structures and a 50 MB file.

Whatever the file, `manage.py import_commons` either imports it or stops with a clear error
(CommandError, never a traceback), and a refused file leaves the registry as it was.
"""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commons_registry.importing import MAX_FILE_BYTES
from commons_registry.models import Commons
from tests.commons_registry.factories import CommonsFactory

from . import values as v

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = 300
HEADER = "name,slug,external_id,category,status,summary,latitude,longitude,founded_year\n"
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

cell = st.one_of(v.text, v.number, v.coordinate, st.sampled_from(["autre", "active", "ext-1"]))
csv_text = st.builds(
    lambda rows: HEADER + "\n".join(",".join(row) for row in rows),
    st.lists(st.lists(cell, max_size=10), max_size=5),
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
            "properties": st.one_of(
                json_value, st.dictionaries(st.sampled_from(["name", "latitude", "slug"]), cell)
            ),
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
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32"]
file_bytes = st.one_of(
    st.binary(max_size=2000),
    st.tuples(st.one_of(csv_text, geojson_text), st.sampled_from(ENCODINGS)).map(
        lambda pair: pair[0].encode(pair[1], errors="replace")
    ),
)


def snapshot():
    return sorted(Commons.objects.values_list("slug", "name", "summary", "latitude", "state"))


@pytest.fixture(autouse=True)
def _english():
    # The refusals are matched on their English words.
    with translation.override("en"):
        yield


def run_import(path):
    """'imported' or 'refused'; anything else (a traceback) fails the test."""
    try:
        call_command("import_commons", str(path), "--no-progress")
    except CommandError as error:
        assert str(error), "a refusal without words"
        return "refused"
    return "imported"


@pytest.mark.parametrize("suffix", [".csv", ".geojson"])
def test_import_of_any_file_imports_or_refuses_cleanly(tmp_path, suffix):
    CommonsFactory(name="Jardin du Canal")
    path = tmp_path / f"communs{suffix}"

    @FUZZ_SETTINGS
    @given(content=file_bytes)
    def import_anything(content):

        with transaction.atomic():
            path.write_bytes(content)
            before = snapshot()
            if run_import(path) == "refused":
                assert snapshot() == before
            transaction.set_rollback(True)

    import_anything()


def test_a_50_mb_file_is_refused_and_changes_nothing(tmp_path):
    CommonsFactory(name="Jardin du Canal")
    path = tmp_path / "huge.csv"
    line = "Jardin,,,autre,active,Un jardin.,50.6,3.0,2012\n"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        out.write(line * (50 * 1024 * 1024 // len(line)))
    assert path.stat().st_size > MAX_FILE_BYTES
    before = snapshot()
    with pytest.raises(CommandError, match="up to 10 MB"):
        call_command("import_commons", str(path), "--no-progress")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("name\nJardin du Canal\n".encode("utf-16"), "UTF-8"),
        ("name\nCafé\n".encode("latin-1"), "UTF-8"),
        (b"name\nJar\x00din\n", "NUL"),
        (b'{"type": "FeatureCollection", "features": 5}', "must be a list"),
        (b'{"type": "FeatureCollection", "features": [[1]]}', "Feature 1"),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_an_unreadable_file_is_refused_with_the_reason(tmp_path, content, says):
    path = tmp_path / "communs.geojson" if content.startswith((b"{", b"[")) else tmp_path / "c.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=says):
        call_command("import_commons", str(path), "--no-progress")
    assert Commons.objects.count() == 0
