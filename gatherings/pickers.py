"""The gathering's facilitators' pool, for the people picker (assembly/pickers.py) and its
suggestions (/people/choices.json?source=gathering-pool&scope=<gathering slug>)."""

from assembly.models import User

from . import permissions
from .models import Gathering


def facilitators_pool(gathering):
    return User.objects.filter(gathering_volunteering__gathering=gathering).order_by(
        "display_name", "pk"
    )


def facilitators_pool_for(viewer, scope: str):
    """The pool, for the gathering's organisers (who see it on each session's page); None for
    anyone else."""
    gathering = Gathering.objects.filter(slug=scope).first() if scope else None
    if gathering is None or not permissions.is_organiser(viewer, gathering):
        return None
    return facilitators_pool(gathering)
