"""What every page family of meetings and workshops shares."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def back_to(request, fallback: str):
    """Where a plain form came from, when it is ours; otherwise the fallback."""
    target = request.POST.get("next") or request.headers.get("referer", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)
