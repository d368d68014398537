"""The budget's rules: a finance decision's proposal, the budget line its adoption creates, the
income and expenses facilitators record, and the reversing entries that correct them.

Each function runs in one transaction; an expense locks its budget line's row, so two expenses
recorded at once can never together take the line below zero.
"""

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from assembly.domain import DomainError
from assembly.models import AssemblyConfiguration
from assembly.permissions import is_facilitator
from decisions import services as decision_services
from decisions.models import Decision

from .models import CENT, ZERO, BudgetLine, Entry, FinanceProposal
from .receipts import check_receipt

logger = logging.getLogger(__name__)


class BudgetError(DomainError):
    """A rule of the budget refused an action; the message is for a person to read."""


def _now(now):
    return now or timezone.now()


def money(amount: Decimal, currency: str | None = None) -> str:
    """An amount as people read it: two decimals, grouped, and the assembly's currency."""
    if currency is None:
        currency = AssemblyConfiguration.get().currency
    return f"{number_format(amount, 2, force_grouping=True)} {currency}"


def _positive(amount) -> Decimal:
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(CENT):
        raise BudgetError(_("An amount is positive, with at most two decimals."))
    return amount


def propose_finance_decision(
    *,
    author,
    title: str,
    context: str,
    amount,
    purpose: str,
    valid_until: datetime.date,
    chantier=None,
    now=None,
) -> FinanceProposal:
    """Open a finance decision whose proposal carries what it would spend, on what, until when."""
    now = _now(now)
    amount = _positive(amount)
    if not purpose.strip():
        raise BudgetError(_("Say what the money is for."))
    if valid_until < timezone.localdate(now):
        raise BudgetError(_("The money must remain spendable after today."))
    config = AssemblyConfiguration.get()
    proposal = _("We allow %(amount)s for: %(purpose)s, to be spent until %(until)s.") % {
        "amount": money(amount, config.currency),
        "purpose": purpose.strip(),
        "until": valid_until.isoformat(),
    }
    if chantier is not None:
        proposal += " " + _("The chantier “%(chantier)s” spends it.") % {"chantier": chantier}
    with transaction.atomic():
        try:
            decision = decision_services.open_discussion(
                author=author,
                title=title,
                kind=Decision.Kind.FINANCE,
                context=context,
                proposal=proposal,
                now=now,
            )
        except decision_services.DecisionError as error:
            raise BudgetError(error.message) from error
        return FinanceProposal.objects.create(
            decision=decision,
            amount=amount,
            purpose=purpose.strip(),
            chantier=chantier,
            valid_until=valid_until,
        )


def create_budget_line(decision: Decision, now) -> BudgetLine | None:
    """The effect of an adopted finance decision, run inside the transaction of the close: its
    budget line. Idempotent; a finance decision opened without a proposal creates nothing."""
    proposal = FinanceProposal.objects.filter(decision=decision).first()
    if proposal is None:
        logger.info("Finance decision %s carries no amount: no budget line", decision.pk)
        return None
    line, _created = BudgetLine.objects.get_or_create(
        decision=decision,
        defaults={
            "purpose": proposal.purpose,
            "amount": proposal.amount,
            "chantier": proposal.chantier,
            "valid_from": timezone.localdate(now),
            "valid_until": proposal.valid_until,
            "created_at": now,
        },
    )
    return line


def _check_facilitator(by):
    if not is_facilitator(by):
        raise BudgetError(_("Only facilitators keep the ledger."))


def _receipt_fields(receipt) -> dict:
    if not receipt:
        return {}

    try:
        content_type, extension = check_receipt(receipt)
    except ValidationError as error:
        raise BudgetError(error.messages[0]) from error
    receipt.name = f"receipt.{extension}"
    return {"receipt": receipt, "receipt_type": content_type}


def record_income(*, by, date, amount, counterparty: str, description="", now=None) -> Entry:
    """An allocation or a donation received."""
    _check_facilitator(by)
    if not counterparty.strip():
        raise BudgetError(_("Say where the money comes from."))
    return Entry.objects.create(
        kind=Entry.Kind.INCOME,
        date=date,
        amount=_positive(amount),
        counterparty=counterparty.strip(),
        description=description.strip(),
        recorded_by=by,
        recorded_at=_now(now),
    )


def remaining(line: BudgetLine) -> Decimal:
    spent = BudgetLine.objects.with_spent().get(pk=line.pk).spent
    return line.amount - Decimal(spent).quantize(CENT)


def record_expense(
    line: BudgetLine, *, by, date, amount, counterparty: str, description="", receipt=None, now=None
) -> Entry:
    """An expense against a budget line, refused when it would take the line below zero."""
    _check_facilitator(by)
    amount = _positive(amount)
    if not counterparty.strip():
        raise BudgetError(_("Say who was paid."))
    fields = _receipt_fields(receipt)
    with transaction.atomic():
        locked = BudgetLine.objects.select_for_update().get(pk=line.pk)
        currency = AssemblyConfiguration.get().currency
        if not locked.valid_from <= date <= locked.valid_until:
            raise BudgetError(
                _("This budget line can be spent from %(start)s to %(end)s only.")
                % {"start": locked.valid_from.isoformat(), "end": locked.valid_until.isoformat()}
            )
        left = remaining(locked)
        if amount > left:
            raise BudgetError(
                _(
                    "This expense would take the line “%(line)s” below zero: only %(left)s "
                    "remain on it."
                )
                % {"line": locked.purpose, "left": money(max(left, ZERO), currency)}
            )
        return Entry.objects.create(
            kind=Entry.Kind.EXPENSE,
            date=date,
            amount=amount,
            counterparty=counterparty.strip(),
            description=description.strip(),
            line=locked,
            recorded_by=by,
            recorded_at=_now(now),
            **fields,
        )


def reverse_entry(entry: Entry, *, by, reason: str = "", now=None) -> Entry:
    """Correct an entry by adding its opposite; both stay in the ledger."""
    _check_facilitator(by)
    now = _now(now)
    with transaction.atomic():
        locked = Entry.objects.select_for_update().get(pk=entry.pk)
        if locked.reverses_id is not None:
            raise BudgetError(_("A reversing entry is not reversed: record the entry again."))
        if Entry.objects.filter(reverses=locked).exists():
            raise BudgetError(_("This entry is already reversed."))
        if locked.line_id is not None:
            BudgetLine.objects.select_for_update().get(pk=locked.line_id)
        description = _("Reverses the entry of %(date)s") % {"date": locked.date.isoformat()}
        if reason.strip():
            description += f": {reason.strip()}"
        return Entry.objects.create(
            kind=locked.kind,
            date=timezone.localdate(now),
            amount=-locked.amount,
            counterparty=locked.counterparty,
            description=description[:300],
            line_id=locked.line_id,
            reverses=locked,
            recorded_by=by,
            recorded_at=now,
        )
