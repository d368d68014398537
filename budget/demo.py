"""Demo data for the budget: a finance decision adopted a year ago with its budget line, then a
year of income and expenses (one corrected by a reversing entry). The balance is what the
entries say, by construction. Safe to run twice: the decision is found by its title."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from assembly.models import User
from chantiers.models import Chantier
from decisions.demo import adopted_in_the_past
from decisions.models import Decision

from . import services
from .models import BudgetLine, Entry, FinanceProposal

TITLE = "Budget de fonctionnement de l'assemblée"
DONATIONS = [Decimal(v) for v in ("45.00", "80.00", "20.00", "150.00", "35.50", "60.00")]
EXPENSES = [
    ("Boulangerie du coin", "Repas partagé de l'assemblée", Decimal("86.40")),
    ("Imprimerie Lilloise", "Affiches et tracts", Decimal("142.00")),
    ("Graineterie Dumont", "Semences pour le jardin", Decimal("64.90")),
    ("Quincaillerie Centrale", "Outils du jardin", Decimal("118.25")),
    ("Hébergeur associatif", "Hébergement du site", Decimal("60.00")),
    ("Boulangerie du coin", "Repas partagé de l'assemblée", Decimal("92.10")),
]


def seed(scale: str, stdout) -> None:
    if Decision.objects.filter(title=TITLE, kind=Decision.Kind.FINANCE).exists():
        return
    facilitator = User.objects.filter(email="facilitator@example.org").first()
    member = User.objects.filter(email="member@example.org").first()
    if facilitator is None or member is None:
        return
    now = timezone.now()
    closed_at = now - datetime.timedelta(days=365)
    voters = [member, facilitator]
    with transaction.atomic():
        decision = adopted_in_the_past(
            title=TITLE,
            kind=Decision.Kind.FINANCE,
            context="Les repas partagés, les affiches et le jardin ont besoin d'un budget annuel.",
            proposal="Nous allouons 2 400,00 € au fonctionnement de l'assemblée pour deux ans.",
            author=member,
            voters=voters,
            closed_at=closed_at,
        )
        FinanceProposal.objects.create(
            decision=decision,
            amount=Decimal("2400.00"),
            purpose="Fonctionnement de l'assemblée",
            chantier=Chantier.objects.filter(title__startswith="Jardin").first(),
            valid_until=timezone.localdate(now) + datetime.timedelta(days=365),
        )
        # The same effect a real close runs.
        line = services.create_budget_line(decision, closed_at)
        _a_year_of_entries(line, facilitator, start=timezone.localdate(closed_at), now=now)
    totals = Entry.objects.totals()
    stdout.write(
        f"budget: 1 budget line, {Entry.objects.count()} ledger entries, "
        f"balance {totals['balance']}"
    )


def _a_year_of_entries(line: BudgetLine, facilitator, *, start, now) -> None:
    services.record_income(
        by=facilitator,
        date=start + datetime.timedelta(days=3),
        amount=Decimal("3000.00"),
        counterparty="Métropole — allocation annuelle",
        now=now,
    )
    for month in range(12):
        day = start + datetime.timedelta(days=10 + 30 * month)
        services.record_income(
            by=facilitator,
            date=day,
            amount=DONATIONS[month % len(DONATIONS)],
            counterparty="Dons au chapeau",
            now=now,
        )
        payee, description, amount = EXPENSES[month % len(EXPENSES)]
        expense = services.record_expense(
            line,
            by=facilitator,
            date=day + datetime.timedelta(days=5),
            amount=amount,
            counterparty=payee,
            description=description,
            now=now,
        )
        if month == 4:
            # Recorded twice by mistake: corrected by a reversing entry, never by an edit.
            services.reverse_entry(expense, by=facilitator, reason="saisie en double", now=now)
