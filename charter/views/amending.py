"""Amending the charter: the amendment form with its preview, and the amendment a charter-change
decision carries, shown on that decision's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assembly.prepared import prepared

from .. import services
from ..diffs import diff_stats, render_inline, word_diff
from ..forms import AmendmentForm
from ..models import Amendment
from ..permissions import can_propose_amendment, can_resolve_conflicts
from ..rendering import render_text
from .reading import versions_of


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def amend(request, slug=None):
    if not can_propose_amendment(request.user):
        raise PermissionDenied
    versions_of_charter = versions_of(slug).select_related("charter")
    if request.method != "POST":
        base = versions_of_charter.order_by("-number").first()
        if base is None:
            raise Http404
        form = AmendmentForm(initial={"text": base.text, "base": base.number})
        return _amend_page(request, form, base, preview=None, slug=slug)

    base = versions_of_charter.filter(number=_number(request.POST.get("base"))).first()
    if base is None:
        raise Http404
    proposed = request.POST.get("text", "").replace("\r\n", "\n")
    if "preview" in request.POST:
        # While drafting, show the preview and the diff without complaining about empty fields.
        form = AmendmentForm(initial=request.POST.dict())
        diffs = word_diff(base.text, proposed)
        preview = {
            "html": render_text(proposed),
            "diff": render_inline(diffs),
            "stats": diff_stats(diffs),
        }
        return _amend_page(request, form, base, preview=preview, slug=slug)

    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            amendment = services.propose_amendment(
                author=request.user,
                base_version=base,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                proposed_text=form.cleaned_data["text"],
                rationale=form.cleaned_data["rationale"],
            )
        except services.CharterError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your amendment is open for discussion. Members will decide on it by consent."),
            )
            return redirect(amendment.decision.get_absolute_url())
    return _amend_page(request, form, base, preview=None, slug=slug)


def _amend_page(request, form, base, *, preview, slug):
    context = {
        "form": form,
        "base": base,
        "charter": base.charter,
        "preview": preview,
        "slug": slug,
    }
    return render(request, "charter/amend.html", context)


# Asked at each first view of a charter change's page after a write: built and compiled once
# (assembly/prepared.py), where Django spent some 4,000 calls on it at every view.
@prepared()
def _amendment_of(decision):
    return Amendment.objects.select_related(
        "charter", "base_version__charter", "resulting_version__charter"
    ).filter(decision_id=decision)[:1]  # as first() asks it, newest first


def decision_section(decision, request):
    """The amendment a charter-change decision carries, shown on the decision's page."""
    found = _amendment_of(decision=decision.pk)
    if not found:
        return None
    amendment = found[0]
    diffs = word_diff(amendment.base_version.text, amendment.proposed_text)
    return {
        "template": "charter/_decision_section.html",
        "context": {
            "amendment": amendment,
            "amendment_diff": render_inline(diffs),
            "amendment_html": render_text(amendment.proposed_text),
            "amendment_stats": diff_stats(diffs),
            "can_resolve": amendment.status == Amendment.Status.CONFLICT
            and can_resolve_conflicts(request.user),
        },
    }
