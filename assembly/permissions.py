"""Who may do what with people's data: small predicates shared by views and templates."""


def can_see_member_list(user) -> bool:
    """The full member list (with e-mail addresses) is for facilitators only."""
    return bool(user.is_authenticated and user.is_facilitator)


def can_declare_membership(user) -> bool:
    """Declaring is one's own act; whether one is eligible is the membership rule's answer."""
    return bool(user.is_authenticated and user.is_active)
