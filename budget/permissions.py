"""Who may see and keep the budget. Facilitators keep the ledger; the configuration says whether
everyone or only members (and facilitators) read it."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from assembly.context_processors import assembly
from assembly.permissions import facilitator_required, is_facilitator, is_signed_in

__all__ = ["budget_visible", "can_keep_ledger", "can_see_budget", "can_see_receipt"]

can_keep_ledger = is_facilitator
keep_ledger_required = facilitator_required


def can_see_budget(person, config) -> bool:
    if config.budget_public:
        return True
    return is_facilitator(person) or (is_signed_in(person) and person.is_member())


def can_see_receipt(person, entry) -> bool:
    """Receipts name people and shops: signed-in people only, whatever the configuration."""
    return is_signed_in(person)


def can_propose_spending(person) -> bool:
    return is_signed_in(person)


def budget_visible(view):
    """The budget pages: public, or members-only (anonymous visitors sign in, others get 403)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):

        config = assembly(request)["assembly"]
        if not can_see_budget(request.user, config):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        request.assembly_configuration = config
        return view(request, *args, **kwargs)

    return wrapper
