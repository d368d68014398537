"""Whom a chantier's card may be given to, for the people picker (assembly/pickers.py) and its
suggestions (/people/choices.json?source=chantier&scope=<chantier id>)."""

from assembly.models import User

from . import permissions
from .models import Chantier


def card_people(chantier):
    """A card's person is someone in the chantier (listed on its page to everyone)."""
    return User.objects.filter(chantier_participations__chantier=chantier).order_by(
        "display_name", "pk"
    )


def card_people_for(viewer, scope: str):
    """The chantier's people, for those who work on its cards; None for anyone else."""
    if not scope.isdigit() or len(scope) > 18:
        return None
    chantier = Chantier.objects.filter(pk=int(scope)).first()
    if chantier is None or not permissions.can_work_on_cards(viewer, chantier):
        return None
    return card_people(chantier)
