import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assembly.models import AssemblyConfiguration
from budget import services
from budget.models import Entry, FinanceProposal
from decisions.models import Decision
from tests.budget.factories import adopted_line
from tests.decisions.factories import MemberFactory
from tests.factories import FacilitatorFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def cached_configuration(db, _clear_cache):
    AssemblyConfiguration.current()


def _login(client, role):
    people = {
        "participant": UserFactory,
        "member": MemberFactory,
        "facilitator": FacilitatorFactory,
    }
    if role != "anonymous":
        client.force_login(people[role]())
    return client


def _members_only():
    config = AssemblyConfiguration.get()
    config.budget_public = False
    config.save()


@pytest.mark.parametrize(
    ("role", "public", "members_only"),
    [
        ("anonymous", 200, 302),
        ("participant", 200, 403),
        ("member", 200, 200),
        ("facilitator", 200, 200),
    ],
)
@pytest.mark.parametrize("url", ["/budget/", "/budget/bilan/2026/", "/budget/export.csv"])
def test_budget_pages_follow_the_configuration(client, role, public, members_only, url):
    assert _login(client, role).get(url).status_code == public
    _members_only()
    assert client.get(url).status_code == members_only


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("participant", 403), ("member", 403), ("facilitator", 200)],
)
@pytest.mark.parametrize("url", ["/budget/income/new/", "/budget/expenses/new/"])
def test_ledger_forms_are_for_facilitators(client, role, status, url):
    assert _login(client, role).get(url).status_code == status


def test_facilitator_records_an_expense_against_the_adopted_line_and_overspend_is_refused(client):
    line = adopted_line(amount="200.00")
    facilitator = FacilitatorFactory()
    client.force_login(facilitator)
    today = timezone.localdate().isoformat()

    ok = client.post(
        "/budget/expenses/new/",
        {"line": line.pk, "date": today, "amount": "150.00", "counterparty": "Graineterie",
         "receipt": SimpleUploadedFile("r.pdf", PDF)},
    )  # fmt: skip
    refused = client.post(
        "/budget/expenses/new/",
        {"line": line.pk, "date": today, "amount": "60.00", "counterparty": "Quincaillerie"},
    )

    assert ok.status_code == 302
    assert refused.status_code == 200
    assert "50,00 €" in refused.content.decode() or "50.00 €" in refused.content.decode()
    assert list(Entry.objects.values_list("counterparty", flat=True)) == ["Graineterie"]
    page = client.get("/budget/").content.decode()
    assert "Graineterie" in page and "bar-spent" in page


def test_receipt_is_served_to_signed_in_people_only(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    line = adopted_line()
    entry = services.record_expense(
        line, by=FacilitatorFactory(), date=timezone.localdate(), amount=Decimal("5"),
        counterparty="Imprimerie", receipt=SimpleUploadedFile("r.pdf", PDF),
    )  # fmt: skip
    url = f"/budget/entries/{entry.pk}/receipt/"

    anonymous = client.get(url)
    client.force_login(UserFactory())
    signed_in = client.get(url)

    assert anonymous.status_code == 302
    assert signed_in.status_code == 200 and signed_in["Content-Type"] == "application/pdf"
    assert b"".join(signed_in.streaming_content) == PDF


def test_reversal_from_the_page_keeps_both_entries(client):
    facilitator = FacilitatorFactory()
    income = services.record_income(
        by=facilitator, date=timezone.localdate(), amount=Decimal("10"), counterparty="Don"
    )
    client.force_login(facilitator)

    client.post(f"/budget/entries/{income.pk}/reverse/", {"reason": "doublon"})

    assert sorted(Entry.objects.values_list("amount", flat=True)) == [
        Decimal("-10.00"),
        Decimal("10.00"),
    ]


def test_finance_discussion_opens_from_the_budget_form_with_its_amount(client):
    client.force_login(UserFactory())
    until = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()

    response = client.post(
        "/budget/propose/",
        {"title": "Un vélo cargo", "context": "Pour les récoltes", "amount": "1800.00",
         "purpose": "Vélo cargo", "valid_until": until},
    )  # fmt: skip

    proposal = FinanceProposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.decision.get_absolute_url()
    assert (proposal.decision.kind, proposal.amount) == (Decision.Kind.FINANCE, Decimal("1800.00"))
    page = client.get(proposal.decision.get_absolute_url()).content.decode()
    assert "Vélo cargo" in page


def test_plain_discussion_form_points_finance_to_the_budget_form(client):
    client.force_login(UserFactory())
    body = client.get("/decisions/new/").content.decode()
    assert "/budget/propose/" in body


def test_csv_export_is_spreadsheet_safe(client):
    services.record_income(
        by=FacilitatorFactory(), date=timezone.localdate(), amount=Decimal("10"),
        counterparty="=HYPERLINK(1)",
    )  # fmt: skip
    body = client.get("/budget/export.csv").content.decode()
    assert "'=HYPERLINK(1)" in body and "10.00" in body


def test_bilan_adds_up(client):
    facilitator = FacilitatorFactory()
    line = adopted_line(amount="100.00")
    year = timezone.localdate().year
    services.record_income(
        by=facilitator, date=datetime.date(year - 1, 6, 1), amount=Decimal("40"),
        counterparty="Reliquat",
    )  # fmt: skip
    services.record_income(
        by=facilitator, date=timezone.localdate(), amount=Decimal("500"), counterparty="Mairie"
    )
    services.record_expense(
        line, by=facilitator, date=timezone.localdate(), amount=Decimal("75.50"),
        counterparty="Graineterie",
    )  # fmt: skip

    response = client.get(f"/budget/bilan/{year}/")

    assert response.context["opening"] == Decimal("40.00")
    assert response.context["closing"] == Decimal("464.50")


def test_bilan_links_to_the_nearest_years_with_entries_only(client):
    year = timezone.localdate().year
    services.record_income(
        by=FacilitatorFactory(), date=datetime.date(year - 3, 6, 1), amount=Decimal("40"),
        counterparty="Reliquat",
    )  # fmt: skip

    this_year = client.get(f"/budget/bilan/{year}/").content.decode()
    oldest = client.get(f"/budget/bilan/{year - 3}/").content.decode()

    # Never an endless chain of empty years for a crawler (the static archive) to follow.
    assert f"/budget/bilan/{year - 3}/" in this_year
    assert f"/budget/bilan/{year - 1}/" not in this_year
    assert f"/budget/bilan/{year + 1}/" not in this_year
    assert f"/budget/bilan/{year - 4}/" not in oldest
    assert f"/budget/bilan/{year}/" in oldest


def test_bilan_of_a_year_a_date_cannot_hold_is_not_found(client):
    assert client.get("/budget/bilan/0/").status_code == 404


# --- Constant query counts -------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_index_queries_are_constant(client, cached_configuration, count, django_assert_num_queries):
    facilitator = FacilitatorFactory()
    voter = MemberFactory()
    for _number in range(count):
        line = adopted_line(amount="100.00", voter=voter)
        services.record_expense(
            line, by=facilitator, date=timezone.localdate(), amount=Decimal("10"),
            counterparty="Graineterie",
        )  # fmt: skip
        services.record_income(
            by=facilitator, date=timezone.localdate(), amount=Decimal("10"), counterparty="Don"
        )
    # lines with spent, entries of the year, years, totals
    with django_assert_num_queries(5):
        response = client.get("/budget/")
    assert response.content.decode().count('class="entry-') == 2 * count


@pytest.mark.parametrize("count", [1, 3])
def test_bilan_and_csv_queries_are_constant(
    client, cached_configuration, count, django_assert_num_queries
):
    facilitator = FacilitatorFactory()
    for _number in range(count):
        services.record_income(
            by=facilitator, date=timezone.localdate(), amount=Decimal("10"), counterparty="Don"
        )
    # the session, the years with entries (its links), opening balance, totals, income, expenses
    with django_assert_num_queries(6):
        client.get(f"/budget/bilan/{timezone.localdate().year}/")
    with django_assert_num_queries(1):
        client.get("/budget/export.csv")


@pytest.mark.parametrize("count", [1, 3])
def test_finance_decision_page_queries_are_constant(
    client, cached_configuration, count, django_assert_num_queries
):
    facilitator = FacilitatorFactory()
    line = adopted_line(amount="100.00")
    for _number in range(count):
        services.record_expense(
            line, by=facilitator, date=timezone.localdate(), amount=Decimal("10"),
            counterparty="Graineterie",
        )  # fmt: skip
    # configuration, decision (with whether it has related commons, next rounds, comments or
    # versions to list: none), and the finance proposal with its line and spent amount in one
    # query (no objections to ask for)
    with django_assert_num_queries(3):
        response = client.get(line.decision.get_absolute_url())
    remaining = 100 - 10 * count
    body = response.content.decode()
    assert f"{remaining},00 €" in body or f"{remaining}.00 €" in body
