"""Who may do what with the charter. Reading is open to everyone."""


def can_propose_amendment(user) -> bool:
    """Any signed-in participant may propose a change; members decide on it."""
    return user.is_authenticated and user.is_active


def can_resolve_conflicts(user) -> bool:
    return user.is_authenticated and user.is_facilitator
