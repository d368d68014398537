"""The decision's phase badge, shown per row of the decision log, per card on home and in what
waits for a person: a tag, not an included template, since an include per row cost as much as
the rest of the row (issue 24)."""

from django import template
from django.utils.html import format_html
from django.utils.text import capfirst

register = template.Library()


@register.simple_tag
def phase_badge(decision):
    """The phase (once closed, the outcome) as a badge; a warning while it awaits its proposal
    or when it was not adopted. The line ends as the template this replaced ended."""
    warn = decision.phase == "awaiting" or decision.outcome == "not_adopted"
    label = (
        decision.get_outcome_display()
        if decision.phase == "closed"
        else decision.get_phase_display()
    )
    return format_html(
        '<span class="badge{}">{}</span>\n', " badge-warn" if warn else "", capfirst(label)
    )


@register.simple_tag
def decision_log_rows(decisions):
    """The decision log's rows, written in Python (decisions/log_rows.py)."""
    from ..log_rows import render  # noqa: PLC0415 - cycle: log_rows -> this phase_badge

    return render(decisions)
