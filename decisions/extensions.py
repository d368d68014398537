"""Extra sections on a decision's page, contributed by apps to the right of `decisions`.

`decisions` knows nothing of those apps: the charter registers a function for charter changes
that returns the diff to show. A section function takes (decision, request) and returns
{"template": "<path>", "context": {...}} or None; the page includes each template with its context.
"""

from collections.abc import Callable

_sections: dict[str, list[Callable]] = {}


def register_detail_section(kind: str, section: Callable) -> Callable:
    """Show section(decision, request) on the page of every decision of this kind."""
    sections = _sections.setdefault(kind, [])
    if section not in sections:
        sections.append(section)
    return section


def detail_sections(decision, request) -> list[dict]:
    """The sections to render for this decision, in registration order (None ones skipped)."""
    found = []
    for section in _sections.get(decision.kind, []):
        result = section(decision, request)
        if result:
            found.append({"template": result["template"], "context": result.get("context", {})})
    return found
