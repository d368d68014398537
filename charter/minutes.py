"""The charter section of a meeting's minutes (registered in workshops.minutes): the charter
versions adopted in the period the minutes cover."""

from workshops.minutes import Window

from .models import CharterVersion


def minutes_section(meeting, window: Window) -> dict | None:
    versions = list(
        CharterVersion.objects.filter(window.q("created_at"))
        .select_related("charter", "decision")
        .order_by("created_at", "pk")
    )
    return {
        "template": "charter/_minutes_section.html",
        "markdown_template": "charter/_minutes_section.md",
        "context": {"versions": versions},
    }
