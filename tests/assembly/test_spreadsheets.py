"""Every CSV export neutralises cells a spreadsheet would run as a formula (CSV injection): they
all write through assembly.domain.SpreadsheetWriter, whatever the column."""

import ast
import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from assembly.domain import SpreadsheetWriter, spreadsheet_text
from assembly.models import AssemblyConfiguration
from budget import services
from tests.factories import FacilitatorFactory

# The apps, whose CSV files are exports a person opens (bench/ writes files to import, not exports).
APPS = ["assembly", "commons_registry", "workshops", "chantiers", "decisions", "charter",
        "budget", "federation", "portal", "gatherings", "config"]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-12.50", "-12.50"),
        ("+33612345678", "+33612345678"),
        ("Jardin", "Jardin"),
        (None, ""),
        (42, "42"),
    ],
)
def test_spreadsheet_text_neutralises_formulas_and_keeps_numbers(value, written):
    assert spreadsheet_text(value) == written


def test_the_writer_neutralises_every_cell():
    out = io.StringIO()
    SpreadsheetWriter(out).writerow(["=A1", -3, "x"])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=A1", "-3", "x"]]


def test_no_module_writes_csv_but_through_the_spreadsheet_writer():
    found = []
    for app in APPS:
        folder = Path(settings.BASE_DIR) / app
        for path in folder.rglob("*.py") if folder.exists() else []:
            if "migrations" in path.parts or path.name == "domain.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "csv"
                    and node.attr in {"writer", "DictWriter"}
                ):
                    found.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    assert not found, f"Write CSV through assembly.domain.SpreadsheetWriter: {', '.join(found)}"


@pytest.mark.django_db
def test_the_budget_export_neutralises_the_currency_too(client):
    configuration = AssemblyConfiguration.get()
    configuration.currency = "=1+1"
    configuration.save()
    services.record_income(
        by=FacilitatorFactory(), date=timezone.localdate(), amount=Decimal("10"),
        counterparty="Métropole",
    )  # fmt: skip
    rows = list(
        csv.reader(io.StringIO(client.get("/budget/export.csv").content.decode("utf-8-sig")))
    )
    assert rows[1][2:4] == ["10.00", "'=1+1"]
