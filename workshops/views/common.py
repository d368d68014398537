"""What every page family of meetings and workshops shares."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from assembly.permissions import is_facilitator


def back_to(request, fallback: str):
    """Where a plain form came from, when it is ours; otherwise the fallback."""
    target = request.POST.get("next") or request.headers.get("referer", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def require_facilitator(request):
    # Kept only for deliveries.py, which moves to assembly/ on another branch: every other view
    # uses assembly.permissions.facilitator_required. Remove this once that move is merged.
    if not request.user.is_authenticated:
        return False
    if not is_facilitator(request.user):
        raise PermissionDenied
    return True
