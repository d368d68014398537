"""The sample files a new host copies (docs/import-examples/) import cleanly, and again unchanged."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from assembly import imports

pytestmark = pytest.mark.django_db

EXAMPLES = Path(settings.BASE_DIR) / "docs" / "import-examples"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def upload(path: Path) -> imports.Upload:
    return imports.Upload(path.name, path.read_bytes())


@pytest.mark.parametrize("name", ["communs.csv", "communs.geojson", "communs-gogocarto.json"])
def test_each_commons_example_imports_without_error_then_unchanged(name):
    files = [upload(EXAMPLES / name)]
    plan = imports.plan("commons", files)
    assert plan.counts["errors"] == 0 and plan.counts["created"] == 10
    assert any(effect.startswith("2 not on the map") for effect in map(str, plan.effects))
    imports.apply(plan, None)
    assert imports.plan("commons", files).counts["unchanged"] == 10


def test_the_charter_example_gives_three_versions_in_date_order():
    files = [upload(path) for path in sorted((EXAMPLES / "charte").glob("*.md"))]
    plan = imports.plan("charter", files)
    assert plan.summary_line == "created=3 updated=0 unchanged=0 skipped=0 errors=0"
    assert sorted(row.data[0].isoformat() for row in plan.rows) == [
        "2019-03-21", "2021-06-24", "2023-01-26"]  # fmt: skip
