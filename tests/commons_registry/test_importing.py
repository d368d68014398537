import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from commons_registry.importing import ImportFileError, import_commons
from commons_registry.models import Commons
from tests.commons_registry.factories import CommonsFactory

HEADER = "name,slug,external_id,category,status,summary,latitude,longitude,founded_year\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def good_csv(tmp_path):
    return write(tmp_path, "communs.csv", HEADER + (
        "Jardin du Canal,,ext-1,jardins-alimentation,active,Un jardin.,50.63,3.06,2012\n"
        "Wiki de Lillebonne,wiki-lillebonne,,Logiciel libre & numérique,active,Un wiki.,,,\n"
    ))  # fmt: skip


@pytest.mark.django_db
def test_import_csv_creates_published_entries(good_csv):
    report = import_commons(good_csv)
    jardin = Commons.objects.get(external_id="ext-1")
    wiki = Commons.objects.get(slug="wiki-lillebonne")
    assert (report.created, report.written) == (2, True)
    assert (jardin.state, jardin.category.slug, jardin.founded_year) == (
        "published", "jardins-alimentation", 2012)  # fmt: skip
    assert str(jardin.latitude) == "50.630000"
    assert wiki.has_location is False
    assert wiki.category.slug == "logiciel-libre-numerique"


@pytest.mark.django_db
def test_import_twice_changes_nothing(good_csv):
    import_commons(good_csv)
    history_before = Commons.history.count()
    report = import_commons(good_csv)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert Commons.objects.count() == 2
    assert Commons.history.count() == history_before


@pytest.mark.django_db
def test_import_matches_on_external_id_then_slug(tmp_path):
    by_id = CommonsFactory(name="Ancien nom", external_id="ext-9")
    by_slug = CommonsFactory(name="Repair café")
    path = write(tmp_path, "c.csv", HEADER + (
        "Nouveau nom,,ext-9,autre,dormant,Renommé.,,,\n"
        "Repair Café,repair-cafe,,autre,active,Mis à jour.,,,\n"
    ))  # fmt: skip
    report = import_commons(path)
    by_id.refresh_from_db()
    by_slug.refresh_from_db()
    assert report.updated == 2
    assert (by_id.name, by_id.status) == ("Nouveau nom", "dormant")
    assert by_slug.summary == "Mis à jour."
    assert Commons.objects.count() == 2


@pytest.mark.django_db
def test_import_invalid_row_imports_nothing_and_says_where(tmp_path):
    path = write(tmp_path, "c.csv", HEADER + (
        "Bon,,,autre,active,Valide.,50.6,3.0,\n"
        "Mauvais,,,autre,active,Latitude fausse.,95,3.0,\n"
        "Inconnu,,,cuisine,active,Catégorie inconnue.,,,\n"
    ))  # fmt: skip
    report = import_commons(path)
    assert Commons.objects.count() == 0
    assert report.written is False
    assert [(e.line, e.field) for e in report.errors] == [(3, "latitude"), (4, "category")]


@pytest.mark.django_db
def test_import_skip_invalid_keeps_valid_rows(tmp_path):
    path = write(tmp_path, "c.csv", HEADER + (
        "Bon,,,autre,active,Valide.,50.6,3.0,\n"
        "Sans résumé,,,autre,active,,50.6,3.0,\n"
    ))  # fmt: skip
    report = import_commons(path, skip_invalid=True)
    assert list(Commons.objects.values_list("name", flat=True)) == ["Bon"]
    assert [(e.line, e.field) for e in report.errors] == [(3, "summary")]


@pytest.mark.django_db
def test_import_dry_run_writes_nothing(good_csv):
    report = import_commons(good_csv, dry_run=True)
    assert report.created == 2
    assert Commons.objects.count() == 0


@pytest.mark.django_db
def test_import_geojson_reads_longitude_first(tmp_path):
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [3.07, 50.64]},
         "properties": {"name": "Ferme urbaine", "category": "jardins-alimentation",
                        "summary": "Une ferme.", "slug": "ferme-urbaine"}},
        {"type": "Feature", "geometry": None,
         "properties": {"name": "Monnaie locale", "category": "finance-monnaies",
                        "summary": "Une monnaie."}},
    ]}  # fmt: skip
    import_commons(write(tmp_path, "c.geojson", json.dumps(data)))
    farm = Commons.objects.get(slug="ferme-urbaine")
    assert (str(farm.latitude), str(farm.longitude)) == ("50.640000", "3.070000")
    assert Commons.objects.get(name="Monnaie locale").has_location is False


@pytest.mark.django_db
def test_import_export_round_trip(client, tmp_path):
    CommonsFactory(name="Fournil", external_id="f-1")
    CommonsFactory(name="Wiki", latitude=None, longitude=None)
    geojson = write(
        tmp_path, "export.geojson", client.get("/commons/export.geojson").content.decode()
    )
    csv_file = tmp_path / "export.csv"
    csv_file.write_bytes(client.get("/commons/export.csv").content)
    assert import_commons(geojson).unchanged == 2
    assert import_commons(csv_file).unchanged == 2


@pytest.mark.django_db
def test_import_of_an_export_with_formula_like_text_changes_nothing(client, tmp_path):
    CommonsFactory(name="=Jardin", summary="- Un jardin.", licence="'quoted'", external_id="-7")
    csv_file = tmp_path / "export.csv"
    csv_file.write_bytes(client.get("/commons/export.csv").content)
    assert import_commons(csv_file).unchanged == 1
    commons = Commons.objects.get()
    assert (commons.name, commons.summary, commons.licence, commons.external_id) == (
        "=Jardin", "- Un jardin.", "'quoted'", "-7")  # fmt: skip


@pytest.mark.django_db
def test_import_unknown_format_refused(tmp_path):
    with pytest.raises(ImportFileError):
        import_commons(write(tmp_path, "c.txt", "name\nx\n"))


@pytest.mark.django_db
def test_import_command_reports_errors_and_fails(tmp_path, capsys):
    path = write(tmp_path, "c.csv", HEADER + "Mauvais,,,autre,active,Ok.,50.6,,\n")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_commons", str(path))
    err = capsys.readouterr().err
    assert "2" in err and "longitude" in err
    assert "[" in err and "1/1" in err


@pytest.mark.django_db
def test_import_command_dry_run_then_import(good_csv, capsys):
    call_command("import_commons", str(good_csv), "--dry-run")
    assert Commons.objects.count() == 0
    call_command("import_commons", str(good_csv))
    assert Commons.objects.count() == 2
    assert "Imported" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_lists_every_problem_of_a_row(tmp_path):
    path = write(tmp_path, "c.csv", HEADER + "Sans tout,,,cuisine,fini,,nord,3.0,an 2000\n")
    report = import_commons(path)
    assert sorted(e.field for e in report.errors) == [
        "category", "founded_year", "latitude", "status", "summary"]  # fmt: skip
    assert {e.line for e in report.errors} == {2}


@pytest.mark.django_db
def test_import_refuses_two_rows_making_the_same_slug(tmp_path):
    path = write(tmp_path, "c.csv", HEADER + (
        "Jardin,,ext-1,autre,active,Un.,,,\n"
        "Jardin,,,autre,active,Deux.,,,\n"
    ))  # fmt: skip
    with translation.override("en"):
        report = import_commons(path)
        assert [str(error) for error in report.errors] == [
            "line 3, field slug: appears twice in the file"
        ]
    assert (report.written, Commons.objects.count()) == (False, 0)
