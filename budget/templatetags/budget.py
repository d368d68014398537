"""{{ amount|money:assembly.currency }}: an amount with two decimals and the currency."""

from django import template

from budget.services import money as format_money

register = template.Library()


@register.filter
def money(amount, currency="€"):
    if amount is None or amount == "":
        return ""
    return format_money(amount, currency)
