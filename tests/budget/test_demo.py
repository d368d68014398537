import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from budget.models import BudgetLine, Entry
from chantiers.models import Card, Chantier

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", force=True, stdout=io.StringIO())


def test_demo_has_chantiers_with_cards_in_every_column_and_a_consistent_ledger():
    seed()
    seed()  # idempotent

    assert Chantier.objects.count() == 3
    for chantier in Chantier.objects.all():
        stages = set(Card.objects.filter(chantier=chantier).values_list("column__stage", flat=True))
        assert stages == {"todo", "doing", "done"}
    line = BudgetLine.objects.get()
    assert line.decision.outcome == "adopted"
    entries = list(Entry.objects.all())
    months = {(e.date.year, e.date.month) for e in entries}
    assert len(months) >= 12
    expected = sum((e.signed_amount for e in entries), Decimal(0))
    assert Entry.objects.totals()["balance"] == expected
    assert Entry.objects.filter(reverses__isnull=False).count() == 1
