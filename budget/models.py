"""The common purse: budget lines created by adopted finance decisions, and the ledger of income
and expenses. Ledger entries are never edited nor deleted: a correction is a reversing entry."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chantiers.models import Chantier
from decisions.models import Decision

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def amount_field(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class ImmutableEntryError(Exception):
    """A ledger entry, once written, is never changed nor deleted."""


class FinanceProposal(models.Model):
    """What a finance decision would spend, written when its discussion is opened."""

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="finance_proposal"
    )
    amount = amount_field(_("amount"), validators=[MinValueValidator(CENT)])
    purpose = models.CharField(_("purpose"), max_length=300)
    chantier = models.ForeignKey(
        Chantier,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="finance_proposals",
        verbose_name=_("chantier"),
    )
    valid_until = models.DateField(_("can be spent until"))

    class Meta:
        verbose_name = _("finance proposal")
        verbose_name_plural = _("finance proposals")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_amount_positive"),
        ]

    def __str__(self):
        return self.purpose


class BudgetLineQuerySet(models.QuerySet):
    def with_spent(self):
        """Each line with what its expenses (reversals counted back) took from it."""
        return self.annotate(
            spent=Coalesce(
                Sum("entries__amount"), ZERO, output_field=models.DecimalField(max_digits=12)
            )
        )


class BudgetLine(models.Model):
    """Money an adopted finance decision allows the assembly to spend."""

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="budget_line", verbose_name=_("decision")
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    amount = amount_field(_("amount"))
    chantier = models.ForeignKey(
        Chantier,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("chantier"),
    )
    valid_from = models.DateField(_("can be spent from"))
    valid_until = models.DateField(_("can be spent until"))
    created_at = models.DateTimeField(_("created at"))

    objects = BudgetLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["-valid_from", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_amount_positive"),
        ]

    def __str__(self):
        return self.purpose

    def get_absolute_url(self):
        return reverse("budget:index") + f"#line-{self.pk}"


def receipt_path(instance, filename):
    # The name is random: receipts are served by a view to signed-in people, never by their path.

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"receipts/{uuid.uuid4().hex}.{extension}"


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEntryError("Ledger entries are never edited: add a reversing entry.")

    def delete(self):
        raise ImmutableEntryError("Ledger entries are never deleted: add a reversing entry.")

    def of_year(self, year: int):
        return self.filter(date__year=year)

    def totals(self) -> dict:
        found = self.aggregate(
            income=Coalesce(Sum("amount", filter=Q(kind=Entry.Kind.INCOME)), ZERO),
            expenses=Coalesce(Sum("amount", filter=Q(kind=Entry.Kind.EXPENSE)), ZERO),
        )
        # SQLite sums decimals in floating point: bring them back to cents.
        found = {key: Decimal(value).quantize(CENT) for key, value in found.items()}
        found["balance"] = found["income"] - found["expenses"]
        return found


class Entry(models.Model):
    """One line of the ledger. Amounts are positive; a reversal carries the opposite amount."""

    class Kind(models.TextChoices):
        INCOME = "income", _("income")
        EXPENSE = "expense", _("expense")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    date = models.DateField(_("date"))
    amount = amount_field(_("amount"))
    counterparty = models.CharField(_("payee or source"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("budget line"),
    )
    receipt = models.FileField(_("receipt"), upload_to=receipt_path, blank=True)
    receipt_type = models.CharField(max_length=40, blank=True, editable=False)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name=_("reverses"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledger_entries",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="expense") & Q(line__isnull=False))
                | (Q(kind="income") & Q(line__isnull=True)),
                name="expense_has_line_income_has_none",
            ),
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0))
                | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="reversal_has_opposite_sign",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.counterparty} {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEntryError("Ledger entries are never edited: add a reversing entry.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEntryError("Ledger entries are never deleted: add a reversing entry.")

    @property
    def signed_amount(self) -> Decimal:
        """Its effect on the balance: income adds, expenses take away."""
        return self.amount if self.kind == self.Kind.INCOME else -self.amount
