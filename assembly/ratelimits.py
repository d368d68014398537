"""How fast one account or one address may write: comments, proposals, walk-ins, subscriptions.

The counting is allauth's, in the cache, beside its own sign-in limits; the rates are settings
(`ACCOUNT_RATE_LIMITS`, filled from `WRITE_RATE_LIMITS` in config/settings.py). A refused request
gets a 429 page in our layout that says what was refused and that nothing was saved.
"""

import logging
from functools import wraps

from allauth.core import ratelimit
from allauth.core.internal import ratelimit as counting
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .pickers import sent_to_search

logger = logging.getLogger(__name__)

# What a person is told when one of these actions is slowed down.
REFUSALS = {
    "comment": _("You have posted many comments in a short time."),
    "workshop_proposal": _("You have proposed many workshops in a short time."),
    "commons_proposal": _("You have proposed many commons in a short time."),
    "walk_in": _("Many newcomers have been registered from here in a short time."),
    "subscription": _("Many subscriptions have come from here in a short time."),
    "people_choices": _("You have searched for many people in a short time."),
}

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rates_for(action: str) -> str:
    """The rates in force for an action ('' when limits are off, as in most tests)."""
    limits = getattr(settings, "ACCOUNT_RATE_LIMITS", {})
    if not limits:
        return ""
    return limits.get(action) or ""


def _counts_per_user(rates: str) -> bool:
    return any(part.strip().endswith("/user") for part in rates.split(","))


def _shortest_period(rates: str) -> int:
    """Seconds until the shortest of the rates lets a new request through, at most."""
    periods = []
    for part in rates.split(","):
        duration = part.strip().split("/")[1]
        number, unit = duration[:-1], duration[-1]
        periods.append(int(float(number or 1) * _UNIT_SECONDS.get(unit, 60)))
    return min(periods)


def allow(request, action: str, key: str | None = None) -> bool:
    """Count one `action` by this request's person and address; False once over the limit.

    A GET counts too (allauth's own `consume` leaves GETs alone): the people picker's
    suggestions are reads that give out names."""
    rates = rates_for(action)
    if not rates:
        return True
    if _counts_per_user(rates) and not request.user.is_authenticated:
        # Anonymous requests to a signed-in action are refused by the view itself.
        return True
    if request.method == "GET":
        return bool(
            counting.consume(request, app="allauth.account", action=action, key=key, limit_get=True)
        )
    return ratelimit.consume(request, action=action, key=key)


def too_many_requests(request, action: str):
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("home")
    logger.warning(
        "rate limit: %s refused (person %s)",
        action,
        request.user.pk if request.user.is_authenticated else "anonymous",
    )
    response = render(
        request, "429.html", {"refusal": REFUSALS.get(action), "back": back}, status=429
    )
    response["Retry-After"] = str(_shortest_period(rates_for(action)))
    return response


def rate_limited(action: str, key=None):
    """View decorator: count each POST as one `action`; over the limit, answer 429 in our layout.

    Put it below the decorators that check sign-in, so that only people allowed to act are counted.
    `key`, a function of the request, adds a count per value (an e-mail address) for `/key` rates.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            # A picker's search (assembly/pickers.py) sends the form back to be shown again and
            # writes nothing: it is not an action to count.
            acting = request.method == "POST" and not sent_to_search(request.POST)
            if acting and not allow(request, action, key(request) if key else None):
                return too_many_requests(request, action)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
