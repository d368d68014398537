"""The budget pages: the balance, the lines and the ledger by month; the facilitators' forms; the
receipts (signed-in people only); the CSV export and the printable yearly bilan."""

import datetime
import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Subquery, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assembly.domain import SpreadsheetWriter
from assembly.prepared import prepared

from . import permissions, services
from .charts import lines_chart
from .forms import ExpenseForm, FinanceDecisionForm, IncomeForm, ReversalForm
from .models import CENT, ZERO, BudgetLine, Entry, FinanceProposal


def _year(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 1900 < year < 3000 else default


def _lines():
    lines = list(
        BudgetLine.objects.with_spent()
        .select_related("chantier", "decision")
        .order_by("-valid_from", "pk")
    )
    for line in lines:
        line.spent = line.spent.quantize(CENT)  # SQLite sums in floating point
        line.remaining = line.amount - line.spent
    return lines


def _entries():
    return Entry.objects.select_related("line", "reverses").annotate(
        reversed=Exists(Entry.objects.filter(reverses=OuterRef("pk")))
    )


def _by_month(entries) -> list[dict]:
    months = []
    for month, group in itertools.groupby(entries, key=lambda e: e.date.replace(day=1)):
        rows = list(group)
        months.append(
            {
                "month": month,
                "entries": rows,
                "income": sum((e.amount for e in rows if e.kind == Entry.Kind.INCOME), ZERO),
                "expenses": sum((e.amount for e in rows if e.kind == Entry.Kind.EXPENSE), ZERO),
            }
        )
    return months


@permissions.budget_visible
def index(request):
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today.year)
    lines = _lines()
    entries = list(_entries().of_year(year).order_by("date", "pk"))
    years = sorted({d.year for d in Entry.objects.dates("date", "year")} | {today.year})
    return render(
        request,
        "budget/index.html",
        {
            "totals": Entry.objects.totals(),
            "lines": lines,
            "chart": lines_chart(lines),
            "year": year,
            "years": years,
            "months": _by_month(entries),
            "can_keep_ledger": permissions.can_keep_ledger(request.user),
            "can_propose": permissions.can_propose_spending(request.user),
        },
    )


@permissions.budget_visible
def bilan(request, year):
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise Http404
    start = datetime.date(year, 1, 1)
    # The reports it links to: the nearest years with entries (or this one), never an endless
    # chain of empty years (a crawler, the static archive, follows every link).
    years = {d.year for d in Entry.objects.dates("date", "year")} | {timezone.localdate().year}
    opening = Entry.objects.filter(date__lt=start).totals()["balance"]
    in_year = Entry.objects.of_year(year)
    totals = in_year.totals()
    income = list(
        in_year.filter(kind=Entry.Kind.INCOME)
        .values("counterparty")
        .annotate(total=Sum("amount"))
        .order_by("-total", "counterparty")
    )
    expenses = list(
        in_year.filter(kind=Entry.Kind.EXPENSE)
        .values("line__purpose", "line__amount")
        .annotate(total=Sum("amount"))
        .order_by("-total", "line__purpose")
    )
    return render(
        request,
        "budget/bilan.html",
        {
            "year": year,
            "previous_year": max((other for other in years if other < year), default=None),
            "next_year": min((other for other in years if other > year), default=None),
            "opening": opening,
            "totals": totals,
            "closing": opening + totals["balance"],
            "income": income,
            "expenses": expenses,
            "generated_on": timezone.localdate(),
        },
    )


@permissions.budget_visible
def export_csv(request):
    currency = request.assembly_configuration.currency
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="ledger-{timezone.localdate().isoformat()}.csv"'
    )
    response.write("\ufeff")  # a BOM, so spreadsheets read the accented names as UTF-8
    writer = SpreadsheetWriter(response)
    writer.writerow(
        [
            "date",
            "kind",
            "amount",
            "currency",
            "payee_or_source",
            "description",
            "budget_line",
            "reverses_entry",
            "entry",
        ]
    )
    for entry in _entries().order_by("date", "pk"):
        writer.writerow(
            [
                entry.date.isoformat(),
                entry.kind,
                f"{entry.signed_amount:.2f}",
                currency,
                entry.counterparty,
                entry.description,
                entry.line.purpose if entry.line else "",
                entry.reverses_id or "",
                entry.pk,
            ]
        )
    return response


@permissions.keep_ledger_required
def income_new(request):
    form = IncomeForm(
        request.POST if request.method == "POST" else None, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_income(by=request.user, **form.cleaned_data)
        except services.BudgetError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The income is recorded."))
            return redirect("budget:index")
    return render(request, "budget/entry_form.html", {"form": form, "kind": "income"})


@permissions.keep_ledger_required
def expense_new(request):
    initial = {"date": timezone.localdate(), "line": request.GET.get("line")}
    form = ExpenseForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_expense(
                data["line"],
                by=request.user,
                date=data["date"],
                amount=data["amount"],
                counterparty=data["counterparty"],
                description=data["description"],
                receipt=data["receipt"],
            )
        except services.BudgetError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The expense is recorded."))
            return redirect("budget:index")
    return render(request, "budget/entry_form.html", {"form": form, "kind": "expense"})


@permissions.keep_ledger_required
def entry_reverse(request, pk):
    entry = get_object_or_404(_entries(), pk=pk)
    form = ReversalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reverse_entry(entry, by=request.user, reason=form.cleaned_data["reason"])
        except services.BudgetError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The reversing entry is recorded; both stay in the ledger.")
            )
        return redirect(f"{reverse('budget:index')}?year={entry.date.year}")
    return render(request, "budget/reverse.html", {"entry": entry, "form": form})


@login_required
def receipt(request, pk):
    entry = get_object_or_404(Entry, pk=pk)
    if not permissions.can_see_receipt(request.user, entry):
        raise PermissionDenied
    if not entry.receipt:
        raise Http404
    response = FileResponse(entry.receipt.open("rb"), content_type=entry.receipt_type)
    extension = entry.receipt.name.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f'inline; filename="receipt-{entry.pk}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def propose(request):
    if not permissions.can_propose_spending(request.user):
        raise PermissionDenied
    form = FinanceDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.propose_finance_decision(author=request.user, **form.cleaned_data)
        except services.BudgetError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your finance discussion is open."))
            return redirect(proposal.decision)
    return render(request, "budget/propose.html", {"form": form})


# Asked at each first view of a finance decision's page after a write: built and compiled once
# (assembly/prepared.py), where Django spent some 5,000 calls on it at every view.
@prepared()
def _proposal_with_spent(decision):
    spent = (
        Entry.objects.filter(line__decision_id=OuterRef("decision_id"))
        .values("line_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        FinanceProposal.objects.select_related("chantier", "decision__budget_line")
        .annotate(spent=Subquery(spent))
        .filter(decision_id=decision)
        .order_by("pk")[:1]  # as first() asks it
    )


def decision_section(decision, request):
    """What a finance decision would spend, and its budget line once adopted (one query)."""
    found = _proposal_with_spent(decision=decision.pk)
    if not found:
        return None
    proposal = found[0]
    line = getattr(proposal.decision, "budget_line", None)
    if line is not None:
        line.spent = (proposal.spent or ZERO).quantize(CENT)
        line.remaining = line.amount - line.spent
    return {
        "template": "budget/_decision_section.html",
        "context": {"proposal": proposal, "line": line},
    }
