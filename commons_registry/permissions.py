"""Who may do what with the commons: small predicates shared by views and templates.

Each takes the person and the entry and looks up what it needs itself (are they a steward?); the
loader answers 404 for an entry the person may not see.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from assembly.permissions import is_facilitator, is_signed_in

from .models import Commons


def commons_for(request, slug, queryset=None) -> Commons:
    """The entry at this address, or 404 when it does not exist or the person may not see it.
    Stewards come prefetched for signed-in people, whose permissions ask about them."""
    queryset = queryset if queryset is not None else Commons.objects.select_related("category")
    if request.user.is_authenticated:
        queryset = queryset.prefetch_related("stewards")
    commons = get_object_or_404(queryset, slug=slug)
    if not can_view(request.user, commons):
        raise Http404
    return commons


def is_steward(person, commons: Commons) -> bool:
    if not is_signed_in(person):
        return False
    # Views prefetch stewards; reuse them rather than asking the database again.
    cache = getattr(commons, "_prefetched_objects_cache", {})
    if "stewards" in cache:
        return any(steward.pk == person.pk for steward in cache["stewards"])
    return commons.stewards.filter(pk=person.pk).exists()


def can_view(person, commons: Commons) -> bool:
    """Published entries are public; a proposal is seen by its proposer and the facilitators."""
    if commons.is_published:
        return True
    if not is_signed_in(person):
        return False
    return is_facilitator(person) or commons.submitted_by_id == person.pk


def can_propose(person) -> bool:
    return is_signed_in(person)


def can_moderate(person) -> bool:
    return is_facilitator(person)


def can_edit(person, commons: Commons) -> bool:
    """Facilitators edit any entry; stewards edit their published entry."""
    if not is_signed_in(person):
        return False
    if is_facilitator(person):
        return True
    return commons.is_published and is_steward(person, commons)


def can_assess(person, commons: Commons) -> bool:
    """The Ostrom self-assessment is the stewards' own (facilitators may help them)."""
    return can_edit(person, commons)


def can_confirm(person, commons: Commons) -> bool:
    return commons.is_published and can_edit(person, commons)
