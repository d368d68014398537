import pytest

from assembly import imports
from assembly.imports.models import ImportBatch, ImportRecord
from commons_registry.models import Category

pytestmark = pytest.mark.django_db


def upload(text, name="c.csv", encoding="utf-8"):
    return [imports.Upload(name, text.encode(encoding))]


def test_plan_apply_reimport_undo_and_tombstone(category_importer, person):
    before = Category.objects.count()
    files = upload("Nom;Couleur\nJardins;#00aa00\nÉcoles;#aa0000\n")
    plan = imports.plan("test-categories", files)
    assert plan.summary_line == "created=2 updated=0 unchanged=0 skipped=0 errors=0"
    batch = imports.apply(plan, person)
    assert batch.status == ImportBatch.Status.APPLIED
    assert Category.objects.count() == before + 2
    again = imports.plan("test-categories", files)
    assert again.summary_line == "created=0 updated=0 unchanged=2 skipped=0 errors=0"
    Category.objects.get(slug="ecoles").delete()
    third = imports.plan("test-categories", files)
    assert third.summary_line == "created=0 updated=0 unchanged=1 skipped=1 errors=0"
    imports.undo(batch, person)
    assert Category.objects.count() == before


def test_a_plan_made_before_another_import_is_made_again_at_apply(category_importer, person):
    files = upload("nom\nJardins\n")
    stale = imports.plan("test-categories", files)
    imports.apply(imports.plan("test-categories", files), person)
    batch = imports.apply(stale, person)
    assert batch.summary_line == "created=0 updated=0 unchanged=1 skipped=0 errors=0"
    assert Category.objects.filter(slug="jardins").count() == 1


def test_an_importer_failing_half_way_leaves_nothing_written(category_importer, person):
    before = Category.objects.count()
    plan = imports.plan("test-categories", upload("nom\nUn\nDeux\n"))
    original = category_importer.apply_rows

    def fail_after_the_first(plan, rows, recorder, by):
        original(plan, rows[:1], recorder, by)
        raise RuntimeError("the disk is full")

    category_importer.apply_rows = fail_after_the_first
    with pytest.raises(RuntimeError):
        imports.apply(plan, person)
    assert Category.objects.count() == before
    assert ImportBatch.objects.count() == 0


def test_a_refused_plan_writes_no_batch(category_importer, person):
    plan = imports.plan("test-categories", upload("nom,couleur\n,#000000\nJardins,#00aa00\n"))
    assert [row.outcome for row in plan.rows] == ["error", "create"]
    with pytest.raises(imports.ImportRefused):
        imports.apply(plan, person)
    assert ImportBatch.objects.count() == 0


def test_an_update_is_undone_by_putting_the_old_value_back(category_importer, person):
    category = Category.objects.create(name="Vergers", slug="vergers", colour="#111111")
    batch = imports.apply(
        imports.plan("test-categories", upload("nom,couleur\nVergers,#222222\n")), person
    )
    category.refresh_from_db()
    assert category.colour == "#222222"
    imports.undo(batch, person)
    category.refresh_from_db()
    assert category.colour == "#111111"
    with pytest.raises(imports.UndoRefused, match="Only an applied import"):
        imports.undo(batch, person)


def test_the_tombstone_keeps_no_key_in_clear(category_importer, person):
    imports.apply(imports.plan("test-categories", upload("nom\nJardins\n")), person)
    record = ImportRecord.objects.get()
    assert "jardins" not in record.key_digest and len(record.key_digest) == 64
