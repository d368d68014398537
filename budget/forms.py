"""Forms of the budget pages; the rules stay in budget/services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chantiers.models import Chantier

from .models import CENT, BudgetLine
from .receipts import check_receipt


def _amount_field():
    return forms.DecimalField(
        label=_("Amount"), max_digits=12, decimal_places=2, min_value=CENT, localize=False
    )


def _date_field(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class FinanceDecisionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    context = forms.CharField(
        label=_("Context"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why this money is needed; Markdown is welcome."),
    )
    amount = _amount_field()
    purpose = forms.CharField(label=_("What the money is for"), max_length=300)
    chantier = forms.ModelChoiceField(
        label=_("Chantier (optional)"),
        queryset=Chantier.objects.active().order_by("title").only("title"),
        required=False,
    )
    valid_until = _date_field(_("Can be spent until"))


class IncomeForm(forms.Form):
    date = _date_field(_("Date"))
    amount = _amount_field()
    counterparty = forms.CharField(
        label=_("Source"), max_length=200, help_text=_("Who gave it: an allocation, a donation…")
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class ExpenseForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    date = _date_field(_("Date"))
    amount = _amount_field()
    counterparty = forms.CharField(label=_("Payee"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    receipt = forms.FileField(
        label=_("Receipt (optional)"),
        required=False,
        help_text=_("A PDF file or an image, 5 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/*"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = BudgetLine.objects.order_by("-valid_from", "pk")

    def clean_receipt(self):
        receipt = self.cleaned_data.get("receipt")
        if receipt:
            check_receipt(receipt)
        return receipt


class ReversalForm(forms.Form):
    reason = forms.CharField(label=_("Why this correction"), max_length=200, required=False)
