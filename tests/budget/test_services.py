import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from budget import services
from budget.models import BudgetLine, Entry, ImmutableEntryError
from decisions import services as decision_services
from tests.budget.factories import adopted_line, finance_proposal
from tests.decisions.factories import MemberFactory
from tests.factories import FacilitatorFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def facilitator_person(db):
    return FacilitatorFactory()


def test_adopted_finance_decision_creates_its_budget_line():
    line = adopted_line(amount="750.50")

    assert line.amount == Decimal("750.50")
    assert line.purpose == "Graines et outils"
    assert line.decision.outcome == "adopted"


def test_not_adopted_finance_decision_spends_nothing():
    start = timezone.now() - datetime.timedelta(days=14)
    objector = MemberFactory()
    proposal = finance_proposal(now=start)
    decision = decision_services.open_vote(
        proposal.decision, now=start + datetime.timedelta(days=7)
    )
    decision_services.cast_vote(
        decision, voter=objector, choice="object", reason="Trop cher", now=start
    )
    decision_services.close_vote(decision, now=timezone.now())

    assert BudgetLine.objects.count() == 0


def test_budget_line_effect_is_idempotent():
    line = adopted_line()
    services.create_budget_line(line.decision, timezone.now())
    assert BudgetLine.objects.count() == 1


def test_expense_within_the_line_is_recorded(facilitator_person):
    line = adopted_line(amount="100.00")

    services.record_expense(
        line, by=facilitator_person, date=timezone.localdate(), amount=Decimal("60.00"),
        counterparty="Graineterie",
    )  # fmt: skip

    assert services.remaining(line) == Decimal("40.00")


def test_overspend_is_refused_with_the_remaining_amount(facilitator_person):
    line = adopted_line(amount="100.00")
    services.record_expense(
        line, by=facilitator_person, date=timezone.localdate(), amount=Decimal("60"),
        counterparty="Graineterie",
    )  # fmt: skip

    with pytest.raises(services.BudgetError, match=r"only 40[.,]00 € remain"):
        services.record_expense(
            line, by=facilitator_person, date=timezone.localdate(), amount=Decimal("40.01"),
            counterparty="Quincaillerie",
        )  # fmt: skip
    assert Entry.objects.count() == 1


def test_participant_cannot_record_an_expense():
    line = adopted_line()
    with pytest.raises(services.BudgetError, match="facilitators"):
        services.record_expense(
            line, by=UserFactory(), date=timezone.localdate(), amount=Decimal("1"),
            counterparty="X",
        )  # fmt: skip


def test_reversal_adds_an_opposite_entry_and_keeps_the_first(facilitator_person):
    line = adopted_line(amount="100.00")
    expense = services.record_expense(
        line, by=facilitator_person, date=timezone.localdate(), amount=Decimal("80"),
        counterparty="Erreur",
    )  # fmt: skip

    reversal = services.reverse_entry(expense, by=facilitator_person, reason="mauvais montant")

    assert reversal.amount == Decimal("-80.00") and reversal.reverses == expense
    assert Entry.objects.count() == 2
    assert services.remaining(line) == Decimal("100.00")
    with pytest.raises(services.BudgetError, match="already reversed"):
        services.reverse_entry(expense, by=facilitator_person)


def test_entries_are_never_edited_nor_deleted(facilitator_person):
    entry = services.record_income(
        by=facilitator_person, date=timezone.localdate(), amount=Decimal("1000"),
        counterparty="Métropole",
    )  # fmt: skip

    entry.amount = Decimal("1")
    with pytest.raises(ImmutableEntryError):
        entry.save()
    with pytest.raises(ImmutableEntryError):
        Entry.objects.all().delete()


def test_balance_is_income_minus_expenses(facilitator_person):
    line = adopted_line(amount="300.00")
    services.record_income(
        by=facilitator_person, date=timezone.localdate(), amount=Decimal("1000.00"),
        counterparty="Métropole",
    )  # fmt: skip
    services.record_expense(
        line, by=facilitator_person, date=timezone.localdate(), amount=Decimal("123.45"),
        counterparty="Graineterie",
    )  # fmt: skip

    assert Entry.objects.totals()["balance"] == Decimal("876.55")


def test_receipt_pdf_is_kept_and_its_type_read_from_the_bytes(
    facilitator_person, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    line = adopted_line()
    upload = SimpleUploadedFile("facture.txt", PDF, content_type="text/plain")

    entry = services.record_expense(
        line, by=facilitator_person, date=timezone.localdate(), amount=Decimal("5"),
        counterparty="Imprimerie", receipt=upload,
    )  # fmt: skip

    assert entry.receipt_type == "application/pdf"
    assert entry.receipt.name.endswith(".pdf")
    assert (tmp_path / entry.receipt.name).read_bytes() == PDF


@pytest.mark.parametrize(
    "content", [b"<html><script>alert(1)</script>", b"MZ\x90\x00 not an image"]
)
def test_receipt_that_is_neither_pdf_nor_image_is_refused(facilitator_person, content):
    line = adopted_line()
    upload = SimpleUploadedFile("facture.pdf", content, content_type="application/pdf")

    with pytest.raises(services.BudgetError, match="PDF"):
        services.record_expense(
            line, by=facilitator_person, date=timezone.localdate(), amount=Decimal("5"),
            counterparty="Imprimerie", receipt=upload,
        )  # fmt: skip
    assert Entry.objects.count() == 0


def test_amount_with_more_than_two_decimals_is_refused(facilitator_person):
    with pytest.raises(services.BudgetError, match="two decimals"):
        services.record_income(
            by=facilitator_person, date=timezone.localdate(), amount=Decimal("1.005"),
            counterparty="X",
        )  # fmt: skip
