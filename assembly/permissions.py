"""Who may do what: the shared vocabulary that every app's permissions module builds on.

Predicates take the person (and the object) and look up their own facts. Views check permissions
explicitly, through `facilitator_required` or a predicate, and refuse in one way: an anonymous
visitor is sent to sign in, a signed-in person without the right gets 403.

Each app's permissions module builds on these with its own predicates and loaders in the
healthchecks style (`meeting_for`, `workshop_for`, `commons_for`, `decision_for`): a loader answers
404 for what does not exist or is hidden from the person. tests/test_role_url_matrix.py holds what
every role gets at every address; tests/test_forms_match_permissions.py checks that each form is
offered exactly to the people allowed to save it.
"""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def is_signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_facilitator(user) -> bool:
    return is_signed_in(user) and user.is_facilitator


def facilitator_required(view):
    """Facilitators only: anonymous visitors go to sign in, others get 403."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_facilitator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def can_see_member_list(user) -> bool:
    """The full member list (with e-mail addresses) is for facilitators only."""
    return is_facilitator(user)


def can_declare_membership(user) -> bool:
    """Declaring is one's own act; whether one is eligible is the membership rule's answer."""
    return is_signed_in(user)


def is_administrator(user) -> bool:
    """An administrator sets the assembly up and keeps it (/setup/, /settings/, imports): a
    superuser, or staff (who may already use the Django admin)."""
    return is_signed_in(user) and bool(user.is_superuser or user.is_staff)


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
