import pytest

from assembly import imports
from assembly.imports.models import ImportBatch
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
