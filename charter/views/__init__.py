"""The charter's pages, one module per family: reading it, amending it, and the facilitators'
page for amendments that could not be merged."""

from .amending import decision_section

__all__ = ["decision_section"]
