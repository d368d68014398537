"""The facilitators' pages for adopted amendments that could not be merged."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assembly.permissions import facilitator_required

from .. import services
from ..diffs import render_inline, word_diff
from ..forms import ResolutionForm
from ..models import Amendment, CharterVersion


@facilitator_required
def conflicts(request):
    waiting = (
        Amendment.objects.filter(status=Amendment.Status.CONFLICT)
        .select_related("decision", "charter", "base_version")
        .only("decision__title", "decision__closed_at", "charter__title", "base_version__number")
        .order_by("pk")
    )
    return render(request, "charter/conflicts.html", {"amendments": waiting})


@facilitator_required
def conflict(request, pk):
    amendment = get_object_or_404(
        Amendment.objects.select_related(
            "decision", "charter", "base_version", "resulting_version__charter"
        ),
        pk=pk,
    )
    current_version = (
        CharterVersion.objects.filter(charter_id=amendment.charter_id).order_by("-number").first()
    )
    form = None
    if amendment.status == Amendment.Status.CONFLICT:
        form = ResolutionForm(
            request.POST if request.method == "POST" else None,
            initial={"text": current_version.text},
        )
        if request.method == "POST" and form.is_valid():
            try:
                new_version = services.resolve_conflict(
                    amendment,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    note=form.cleaned_data["note"],
                )
            except services.CharterError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Version %(number)s of the charter is written.")
                    % {"number": new_version.number},
                )
                return redirect(new_version.get_absolute_url())
    base = amendment.base_version
    return render(
        request,
        "charter/conflict.html",
        {
            "amendment": amendment,
            "base": base,
            "current": current_version,
            "form": form,
            "base_to_current": render_inline(word_diff(base.text, current_version.text)),
            "base_to_proposed": render_inline(word_diff(base.text, amendment.proposed_text)),
        },
    )
