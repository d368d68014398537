"""Extra sections on a workshop's page, contributed by apps to the right of `workshops`.

`workshops` knows nothing of those apps: chantiers registers a function that says which chantier
a workshop starts or continues. A section function takes (workshop, request) and returns
{"template": "<path>", "context": {...}} or None; the page includes each template with its context.
"""

from collections.abc import Callable

_sections: list[Callable] = []


def register_detail_section(section: Callable) -> Callable:
    if section not in _sections:
        _sections.append(section)
    return section


def detail_sections(workshop, request) -> list[dict]:
    found = []
    for section in _sections:
        result = section(workshop, request)
        if result:
            found.append({"template": result["template"], "context": result.get("context", {})})
    return found
