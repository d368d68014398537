"""Who may do what with the charter. Reading is open to everyone."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def can_propose_amendment(user) -> bool:
    """Any signed-in participant may propose a change; members decide on it."""
    return user.is_authenticated and user.is_active


def can_resolve_conflicts(user) -> bool:
    return user.is_authenticated and user.is_facilitator


def facilitator_required(view):
    """Anonymous people are sent to log in; signed-in people who are not facilitators get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_resolve_conflicts(request.user):
            raise PermissionDenied(_("Only facilitators can resolve charter conflicts."))
        return view(request, *args, **kwargs)

    return wrapper
