"""Who may do what in federation: administrators choose what the assembly publishes."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from assembly.permissions import is_signed_in


def is_administrator(user) -> bool:
    return is_signed_in(user) and user.is_superuser


def administrator_required(view):
    """Administrators only: anonymous visitors go to sign in, others get 403."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
