"""Facilitators' pages for one identity per person: add an e-mail to a walk-in, find and merge
two people who are one, and the list of likely duplicates. The rules live in assembly.people and
assembly.merging."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import merging, people
from .forms import AddEmailForm
from .models import MergeLog, User
from .permissions import facilitator_required

CANDIDATES_SHOWN = 20


def _person(pk) -> User:
    return get_object_or_404(User.objects.filter(is_active=True), pk=pk)


@facilitator_required
@require_http_methods(["GET", "POST"])
def add_email(request, pk):
    person = _person(pk)
    form = AddEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people.add_email(person, form.cleaned_data["email"])
        except people.PeopleError as error:
            form.add_error("email", error.message)
        else:
            messages.success(
                request,
                _("%(name)s can now claim their account: the invitation is on its way.")
                % {"name": person},
            )
            return redirect("people-identity", pk=person.pk)
    return render(request, "assembly/add_email.html", {"person": person, "form": form})


@facilitator_required
def identity(request, pk):
    """One person as facilitators see them: their e-mail, the merges into them, and a search for
    the other account to merge with."""
    person = _person(pk)
    query = request.GET.get("q", "").strip()
    candidates = (
        User.objects.filter(is_active=True)
        .exclude(pk=person.pk)
        .search(query)
        .only("display_name", "email")
        .order_by("display_name", "pk")[:CANDIDATES_SHOWN]
    )
    merges = MergeLog.objects.filter(kept=person).select_related("by")
    context = {"person": person, "query": query, "candidates": candidates, "merges": merges}
    return render(request, "assembly/identity.html", context)


@facilitator_required
@require_http_methods(["GET", "POST"])
def merge(request, kept, merged):
    """The confirmation: what moves from one person to the other; the merge itself on POST."""
    kept, merged = _person(kept), _person(merged)
    if request.method == "POST":
        try:
            merging.merge_people(kept, merged, by=request.user)
        except merging.MergeError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(merged)s is merged into %(kept)s.") % {"merged": merged, "kept": kept},
            )
            return redirect("people-identity", pk=kept.pk)
    context = {
        "kept": kept,
        "merged": merged,
        "moves": merging.preview(kept, merged),
        "refusals": merging.refusals(kept, merged),
    }
    return render(request, "assembly/merge.html", context)


@facilitator_required
def duplicates(request):
    return render(request, "assembly/duplicates.html", {"pairs": people.likely_duplicates()})
