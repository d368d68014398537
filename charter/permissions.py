"""Who may do what with the charter. Reading is open to everyone; the conflicts pages use
assembly.permissions.facilitator_required."""

from assembly.permissions import is_facilitator, is_signed_in


def can_propose_amendment(person) -> bool:
    """Any signed-in participant may propose a change; members decide on it."""
    return is_signed_in(person)


def can_resolve_conflicts(person) -> bool:
    return is_facilitator(person)
