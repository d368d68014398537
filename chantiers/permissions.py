"""Who may do what in a chantier. Reading is open to everyone; predicates take (person, chantier)
and look up their own facts, so that views and templates ask the same question."""

from assembly.permissions import is_facilitator, is_signed_in

from .models import Participant


def can_start_chantier(person) -> bool:
    return is_signed_in(person)


def _role(person, chantier) -> str | None:
    if not is_signed_in(person):
        return None
    cache = person.__dict__.setdefault("_chantier_roles", {})
    if chantier.pk not in cache:
        cache[chantier.pk] = (
            Participant.objects.filter(chantier=chantier, person=person)
            .values_list("role", flat=True)
            .first()
        )
    return cache[chantier.pk]


def forget_roles(person) -> None:
    """After joining, the cached answer is stale."""
    person.__dict__.pop("_chantier_roles", None)


def can_join(person, chantier) -> bool:
    return is_signed_in(person) and _role(person, chantier) is None


def is_in_chantier(person, chantier) -> bool:
    """Anyone in the chantier (coordinators and members) works on its cards."""
    return _role(person, chantier) is not None


def can_work_on_cards(person, chantier) -> bool:
    return is_in_chantier(person, chantier) or is_facilitator(person)


def can_edit_chantier(person, chantier) -> bool:
    return _role(person, chantier) == Participant.Role.COORDINATOR or is_facilitator(person)
