"""A small importer of commons categories, to test the engine without any app's own importer."""

import pytest
from django.utils import translation
from django.utils.text import slugify

from assembly import imports
from assembly.imports import engine
from commons_registry.models import Category


class CategoryImporter(imports.Importer):
    kind = "test-categories"
    label = "Categories"
    fields = (
        imports.Field("name", "name", synonyms=("nom",), required=True),
        imports.Field("colour", "colour", synonyms=("couleur",)),
    )

    def plan_rows(self, rows, plan):
        existing = {c.slug: c for c in Category.objects.all()}
        planned = []
        for row in rows:
            name = str(row.values.get("name", "")).strip()
            colour = str(row.values.get("colour", "") or "#1d6b4f")
            if not name:
                planned.append(
                    imports.RowPlan(
                        row.line,
                        imports.Outcome.ERROR,
                        reason="a name is required",
                        values=row.values,
                    )
                )
                continue
            slug = slugify(name)
            found = existing.get(slug)
            if found is None:
                outcome = imports.Outcome.CREATE
            elif found.colour != colour:
                outcome = imports.Outcome.UPDATE
            else:
                outcome = imports.Outcome.UNCHANGED
            planned.append(
                imports.RowPlan(
                    row.line,
                    outcome,
                    key=slug,
                    label=name,
                    values=row.values,
                    data=(found, name, colour),
                )
            )
        return planned

    def effects(self, plan):
        return [f"{plan.counts['created']} categories created"]

    def apply_rows(self, plan, rows, recorder, by):
        for row in rows:
            found, name, colour = row.data
            if found is None:
                category = Category.objects.create(name=name, slug=slugify(name), colour=colour)
                recorder.created(row, category)
            else:
                before = {"colour": found.colour}
                found.colour = colour
                found.save(update_fields=["colour"])
                recorder.updated(row, found, before)


@pytest.fixture
def category_importer():
    importer = CategoryImporter()
    imports.register(importer)
    yield importer
    engine._importers.pop(importer.kind, None)


@pytest.fixture(autouse=True)
def _english():
    # The refusals are matched on their English words.
    with translation.override("en"):
        yield
