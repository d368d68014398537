"""The commons importer (commons_registry/importing.py) through the import engine: CSV with its
columns recognised or mapped, GeoJSON, GoGoCarto's JSON export, idempotence, refusals, undo."""

import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation

from assembly import imports
from assembly.imports.models import ImportBatch
from commons_registry.models import Commons
from tests.commons_registry.factories import CommonsFactory

pytestmark = pytest.mark.django_db

HEADER = "name,slug,external_id,category,status,summary,latitude,longitude,founded_year\n"
GOOD_CSV = HEADER + (
    "Jardin du Canal,,ext-1,jardins-alimentation,active,Un jardin.,50.63,3.06,2012\n"
    "Wiki de Lillebonne,wiki-lillebonne,,Logiciel libre & numérique,active,Un wiki.,,,\n"
)  # fmt: skip


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def files(text, name="communs.csv", encoding="utf-8"):
    content = text if isinstance(text, bytes) else text.encode(encoding)
    return [imports.Upload(name, content)]


def run(text, name="communs.csv", **options):
    return imports.apply(imports.plan("commons", files(text, name)), None, **options)


def outcomes(plan):
    return [(row.line, row.outcome) for row in plan.rows]


def test_a_csv_creates_published_entries_and_lists_those_not_on_the_map():
    plan = imports.plan("commons", files(GOOD_CSV))
    assert outcomes(plan) == [(2, "create"), (3, "create")]
    assert "1 not on the map (no coordinates): Wiki de Lillebonne" in plan.effects
    assert "No e-mail is sent." in plan.effects
    imports.apply(plan, None)
    jardin = Commons.objects.get(external_id="ext-1")
    wiki = Commons.objects.get(slug="wiki-lillebonne")
    assert (jardin.state, jardin.category.slug, jardin.founded_year) == (
        "published", "jardins-alimentation", 2012)  # fmt: skip
    assert str(jardin.latitude) == "50.630000"
    assert wiki.has_location is False
    assert wiki.category.slug == "logiciel-libre-numerique"
    assert mail.outbox == []


def test_importing_the_same_file_again_changes_nothing():
    run(GOOD_CSV)
    history_before = Commons.history.count()
    again = imports.plan("commons", files(GOOD_CSV))
    assert again.summary_line == "created=0 updated=0 unchanged=2 skipped=0 errors=0"
    imports.apply(again, None)
    assert Commons.objects.count() == 2
    assert Commons.history.count() == history_before


def test_entries_are_found_by_external_id_then_slug():
    by_id = CommonsFactory(name="Ancien nom", external_id="ext-9")
    by_slug = CommonsFactory(name="Repair café")
    plan = imports.plan("commons", files(HEADER + (
        "Nouveau nom,,ext-9,autre,dormant,Renommé.,,,\n"
        "Repair Café,repair-cafe,,autre,active,Mis à jour.,,,\n"
    )))  # fmt: skip
    assert [row.outcome for row in plan.rows] == ["update", "update"]
    imports.apply(plan, None)
    by_id.refresh_from_db()
    by_slug.refresh_from_db()
    assert (by_id.name, by_id.status) == ("Nouveau nom", "dormant")
    assert by_slug.summary == "Mis à jour."
    assert Commons.objects.count() == 2


def test_french_headers_semicolons_and_windows_1252_are_recognised_without_mapping():
    text = "Nom;Catégorie;Résumé;Latitude;Longitude;Courriel\nCafé Lent;tiers-lieux;Un café;50,6;3,1;cafe@example.org\n"
    plan = imports.plan("commons", files(text, encoding="cp1252"))
    assert outcomes(plan) == [(2, "create")]
    imports.apply(plan, None)
    cafe = Commons.objects.get()
    assert (cafe.name, cafe.summary, cafe.contact_email) == (
        "Café Lent",
        "Un café",
        "cafe@example.org",
    )
    assert (str(cafe.latitude), str(cafe.longitude)) == ("50.600000", "3.100000")


def test_a_mapping_reads_a_column_under_another_name():
    text = "Appellation,Résumé\nLa Bricothèque,Des outils prêtés.\n"
    with pytest.raises(imports.FileRefused, match="“name”"):
        imports.plan("commons", files(text))
    plan = imports.plan("commons", files(text), {"Appellation": "name"})
    assert outcomes(plan) == [(2, "create")]
    imports.apply(plan, None)
    # The mapping is saved for the kind: the next file with this column needs none.
    assert imports.plan("commons", files(text)).summary_line.startswith(
        "created=0 updated=0 unchanged=1"
    )


def test_an_invalid_row_refuses_the_file_and_says_where():
    text = HEADER + (
        "Bon,,,autre,active,Valide.,50.6,3.0,\n"
        "Mauvais,,,autre,active,Latitude fausse.,95,3.0,\n"
        "Sans tout,,,autre,fini,,nord,3.0,an 2000\n"
    )  # fmt: skip
    plan = imports.plan("commons", files(text))
    assert outcomes(plan) == [(2, "create"), (3, "error"), (4, "error")]
    assert "latitude" in plan.rows[1].reason
    for words in ("status must be one of", "“nord” is not a number", "is not a year", "summary"):
        assert words in plan.rows[2].reason
    with pytest.raises(imports.ImportRefused, match="2 rows have an error"):
        imports.apply(plan, None)
    assert Commons.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    imports.apply(plan, None, skip_errors=True)
    assert list(Commons.objects.values_list("name", flat=True)) == ["Bon"]


def test_an_unknown_category_is_filed_under_autre_and_said_so():
    plan = imports.plan("commons", files(HEADER + "Ferme,,,cuisine,active,Une ferme.,,,\n"))
    assert plan.rows[0].reason.startswith("category “cuisine” unknown: filed under Autre")
    assert "1 filed under “Autre” (category unknown): Ferme" in plan.effects
    imports.apply(plan, None)
    assert Commons.objects.get().category.slug == "autre"


def test_two_rows_making_the_same_address_get_two_entries():
    run(HEADER + "Jardin,,ext-1,autre,active,Un.,,,\nJardin,,ext-2,autre,active,Deux.,,,\n")
    assert sorted(Commons.objects.values_list("slug", flat=True)) == ["jardin", "jardin-2"]


def test_a_repeated_row_is_imported_once():
    plan = imports.plan("commons", files(HEADER + "Jardin,,,autre,active,Un.,,,\n" * 2))
    assert outcomes(plan) == [(2, "create"), (3, "skip")]
    assert plan.rows[1].reason == "repeats line 2; imported once"


def test_geojson_reads_longitude_first():
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [3.07, 50.64]},
         "properties": {"name": "Ferme urbaine", "category": "jardins-alimentation",
                        "summary": "Une ferme.", "slug": "ferme-urbaine"}},
        {"type": "Feature", "geometry": None,
         "properties": {"name": "Monnaie locale", "category": "finance-monnaies",
                        "summary": "Une monnaie."}},
    ]}  # fmt: skip
    run(json.dumps(data), "c.geojson")
    farm = Commons.objects.get(slug="ferme-urbaine")
    assert (str(farm.latitude), str(farm.longitude)) == ("50.640000", "3.070000")
    assert Commons.objects.get(name="Monnaie locale").has_location is False


def test_a_geojson_line_is_an_error_on_its_feature():
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[3, 50], [3.1, 50.1]]},
         "properties": {"name": "Voie verte", "summary": "Une piste.", "category": "mobilite"}},
    ]}  # fmt: skip
    plan = imports.plan("commons", files(json.dumps(data), "c.geojson"))
    assert outcomes(plan) == [(1, "error")]
    assert plan.rows[0].reason == "only Point geometries can be imported"


GOGOCARTO = {
    "licence": "https://opendatacommons.org/licenses/odbl/summary/",
    "ontology": "gogofull",
    "data": [
        {
            "id": "aB3x",
            "name": "Recyclerie du Faubourg",
            "geo": {"latitude": 50.6241, "longitude": 3.0812},
            "categories": ["Réemploi", "Tiers-lieux"],
            "address": {
                "streetAddress": "12 rue des Postes",
                "postalCode": "59000",
                "addressLocality": "Lille",
            },
            "description": "Une recyclerie associative où l'on répare et l'on donne.",
            "website": "www.recyclerie.example.org",
            "email": "bonjour@recyclerie.example.org",
        },
        {
            "id": "Zz9",
            "name": "Monnaie du Pévèle",
            "lat": "50.52",
            "lng": "3.21",
            "categories": ["Monnaie locale"],
            "address": "Place de la Mairie, Orchies",
            "description": "Une monnaie locale complémentaire.",
        },
        {"id": "Qq1", "name": "Cartopartie", "categories": [], "description": "En ligne."},
    ],
}


def test_a_gogocarto_export_is_read_as_it_comes():
    plan = imports.plan("commons", files(json.dumps(GOGOCARTO), "export.json"))
    assert outcomes(plan) == [(1, "create"), (2, "create"), (3, "create")]
    imports.apply(plan, None)
    recyclerie = Commons.objects.get(external_id="aB3x")
    assert recyclerie.address == "12 rue des Postes, 59000 Lille"
    assert recyclerie.category.slug == "tiers-lieux"  # the first known category
    assert (str(recyclerie.latitude), str(recyclerie.longitude)) == ("50.624100", "3.081200")
    assert recyclerie.website == "https://www.recyclerie.example.org"
    assert recyclerie.contact_email == "bonjour@recyclerie.example.org"
    assert recyclerie.summary.startswith("Une recyclerie associative")
    monnaie = Commons.objects.get(external_id="Zz9")
    assert (monnaie.address, str(monnaie.latitude)) == ("Place de la Mairie, Orchies", "50.520000")
    assert monnaie.category.slug == "autre"
    assert Commons.objects.get(external_id="Qq1").has_location is False
    again = imports.plan("commons", files(json.dumps(GOGOCARTO), "export.json"))
    assert again.summary_line == "created=0 updated=0 unchanged=3 skipped=0 errors=0"


def test_an_export_imports_back_unchanged_even_with_formula_like_text(client):
    CommonsFactory(name="=Jardin", summary="- Un jardin.", licence="'quoted'", external_id="-7")
    CommonsFactory(name="Wiki", latitude=None, longitude=None, address="@home")
    for url, name in (("/commons/export.csv", "e.csv"), ("/commons/export.geojson", "e.geojson")):
        plan = imports.plan("commons", files(client.get(url).content, name))
        assert plan.summary_line == "created=0 updated=0 unchanged=2 skipped=0 errors=0", url


def test_a_commons_deleted_after_the_import_is_not_brought_back():
    run(GOOD_CSV)
    Commons.objects.get(slug="wiki-lillebonne").delete()
    plan = imports.plan("commons", files(GOOD_CSV))
    assert outcomes(plan) == [(2, "unchanged"), (3, "skip")]
    assert plan.rows[1].reason == "deleted after an earlier import; not brought back"


def test_undo_deletes_what_was_created_and_puts_back_what_was_changed(person):
    kept = CommonsFactory(name="Repair café", summary="Avant.")
    batch = run(
        HEADER + "Jardin,,,autre,active,Un.,,,\nRepair café,repair-cafe,,autre,active,Après.,,,\n"
    )
    imports.undo(batch, person)
    kept.refresh_from_db()
    assert list(Commons.objects.values_list("name", "summary")) == [("Repair café", "Avant.")]
    batch.refresh_from_db()
    assert (batch.status, batch.undone_by) == ("undone", person)
    # Undone, the entries are not tombstones: importing again brings them back.
    assert (
        imports.plan("commons", files(HEADER + "Jardin,,,autre,active,Un.,,,\n")).rows[0].outcome
        == "create"
    )


def test_undo_is_refused_once_an_entry_has_stewards(person):
    batch = run(GOOD_CSV)
    Commons.objects.get(slug="wiki-lillebonne").stewards.add(person)
    with pytest.raises(imports.UndoRefused, match="Wiki de Lillebonne"):
        imports.undo(batch, person)
    assert Commons.objects.count() == 2


def test_undo_is_refused_while_a_later_import_changed_the_same_entries(person):
    first = run(GOOD_CSV)
    run(GOOD_CSV.replace("Un wiki.", "Le wiki."))
    with pytest.raises(imports.UndoRefused, match="undo it first"):
        imports.undo(first, person)


def test_the_old_command_name_still_imports(tmp_path, capsys):
    path = tmp_path / "communs.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    call_command("import_commons", str(path), "--dry-run")
    assert Commons.objects.count() == 0
    call_command("import_commons", str(path))
    assert Commons.objects.count() == 2
    assert capsys.readouterr().out.splitlines()[-1] == (
        "created=2 updated=0 unchanged=0 skipped=0 errors=0"
    )
    path.write_text(HEADER + "Mauvais,,,autre,active,Ok.,50.6,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_commons", str(path))
