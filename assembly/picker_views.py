"""/people/choices.json: suggestions for the people picker's combobox (assembly/pickers.py).

It answers from the sources the apps register (a chantier's people, a gathering's facilitators'
pool), each of which says whether this viewer may see them; it shows display names only, never an
e-mail address, at most `pickers.LIMIT` of them, and a person may ask only so often
(`RATE_LIMIT_PEOPLE_CHOICES`): the directory of names is not to be read by a loop.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from . import pickers, ratelimits


@login_required
@require_GET
def people_choices(request):
    source = pickers.PEOPLE_SOURCES.get(request.GET.get("source", ""))
    if source is None:
        raise Http404
    people = source(request.user, request.GET.get("scope", "")[:100])
    if people is None:
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[: pickers.QUERY_LENGTH]
    if not query:
        return JsonResponse({"results": []})
    if not ratelimits.allow(request, "people_choices"):
        return JsonResponse(
            {"results": [], "refused": str(ratelimits.REFUSALS["people_choices"])}, status=429
        )
    found = pickers.people_named(people, query)
    return JsonResponse(
        {"results": [{"id": person.pk, "label": pickers.person_label(person)} for person in found]}
    )
