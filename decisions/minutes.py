"""The decisions section of a meeting's minutes (registered in workshops.minutes): the decisions
opened, put to the vote or closed in the period the minutes cover."""

from workshops.minutes import Window

from .models import Decision


def minutes_section(meeting, window: Window) -> dict | None:
    decisions = list(
        Decision.objects.filter(
            window.q("created_at") | window.q("vote_opens_at") | window.q("closed_at")
        ).order_by("created_at", "pk")
    )
    for decision in decisions:
        decision.opened_in_window = window.holds(decision.created_at)
        decision.vote_opened_in_window = window.holds(decision.vote_opens_at)
        decision.closed_in_window = window.holds(decision.closed_at)
    return {
        "template": "decisions/_minutes_section.html",
        "markdown_template": "decisions/_minutes_section.md",
        "context": {"decisions": decisions},
    }
