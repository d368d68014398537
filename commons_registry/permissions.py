"""Who may do what with the commons: small predicates shared by views and templates."""

from .models import Commons


def is_steward(user, commons: Commons) -> bool:
    if not user.is_authenticated:
        return False
    # Views prefetch stewards; reuse them rather than asking the database again.
    cache = getattr(commons, "_prefetched_objects_cache", {})
    if "stewards" in cache:
        return any(steward.pk == user.pk for steward in cache["stewards"])
    return commons.stewards.filter(pk=user.pk).exists()


def can_view(user, commons: Commons) -> bool:
    """Published entries are public; a proposal is seen by its proposer and the facilitators."""
    if commons.is_published:
        return True
    if not user.is_authenticated:
        return False
    return user.is_facilitator or commons.submitted_by_id == user.pk


def can_propose(user) -> bool:
    return user.is_authenticated and user.is_active


def can_moderate(user) -> bool:
    return user.is_authenticated and user.is_facilitator


def can_edit(user, commons: Commons) -> bool:
    """Facilitators edit any entry; stewards edit their published entry."""
    if not user.is_authenticated:
        return False
    if user.is_facilitator:
        return True
    return commons.is_published and is_steward(user, commons)


def can_assess(user, commons: Commons) -> bool:
    """The Ostrom self-assessment is the stewards' own (facilitators may help them)."""
    return can_edit(user, commons)


def can_confirm(user, commons: Commons) -> bool:
    return commons.is_published and can_edit(user, commons)
