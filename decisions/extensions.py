"""Extra sections on a decision's page, and forms that open decisions of a kind, contributed by
apps to the right of `decisions`.

`decisions` knows nothing of those apps: the charter registers a function for charter changes
that returns the diff to show. A section function takes (decision, request) and returns
{"template": "<path>", "context": {...}} or None; the page includes each template with its context.
"""

from collections.abc import Callable

from django.urls import reverse

_sections: dict[str, list[Callable]] = {}
# Kinds whose discussions open from another app's form (which gathers what they need, such as
# the charter's proposed full text), mapped to that form's URL name.
_start_forms: dict[str, str] = {}


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


def register_start_form(kind: str, url_name: str) -> None:
    """Discussions of this kind are opened (and revised in new rounds) from that app's form."""
    _start_forms[kind] = url_name


def start_form_url(kind: str) -> str | None:
    url_name = _start_forms.get(kind)
    return reverse(url_name) if url_name else None


def kinds_started_elsewhere() -> dict[str, str]:
    """{kind: url} of the kinds the plain discussion form does not open."""
    return {kind: reverse(url_name) for kind, url_name in _start_forms.items()}
