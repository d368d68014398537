"""The charter's pages: the current text, every version, the difference between any two, the
amendment form, and the facilitators' page for amendments that could not be merged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from decisions.models import Decision

from . import services
from .diffs import diff_stats, render_inline, side_by_side, word_diff
from .forms import AmendmentForm, CompareForm, ResolutionForm
from .models import DEFAULT_SLUG, Amendment, Charter, CharterVersion
from .permissions import can_propose_amendment, can_resolve_conflicts, facilitator_required
from .rendering import render_text, render_version


def _charter_url(name, slug, **kwargs):
    if slug:
        kwargs["slug"] = slug
    return reverse(f"charter:{name}", kwargs=kwargs)


def _versions_of(slug):
    return CharterVersion.objects.filter(charter__slug=slug or DEFAULT_SLUG)


def current(request, slug=None):
    version = _versions_of(slug).select_related("charter", "decision").order_by("-number").first()
    if version is None:
        charter = Charter.objects.filter(slug=slug or DEFAULT_SLUG).first()
        if charter is None and slug:
            raise Http404
        return render(request, "charter/empty.html", {"charter": charter, "slug": slug})
    html, toc = render_version(version)
    under_discussion = list(
        Amendment.objects.filter(
            charter_id=version.charter_id, decision__in=Decision.objects.open()
        )
        .select_related("decision", "base_version")
        .only("decision__title", "decision__phase", "base_version__number", "charter_id")
        .order_by("decision__created_at")
    )
    open_conflicts = None
    if can_resolve_conflicts(request.user):
        open_conflicts = Amendment.objects.filter(
            charter_id=version.charter_id, status=Amendment.Status.CONFLICT
        ).count()
    return render(
        request,
        "charter/current.html",
        {
            "charter": version.charter,
            "version": version,
            "html": html,
            "toc": toc,
            "slug": slug,
            "open_conflicts": open_conflicts,
            "under_discussion": under_discussion,
            "can_amend": can_propose_amendment(request.user),
        },
    )


def versions(request, slug=None):
    charter = get_object_or_404(Charter, slug=slug or DEFAULT_SLUG)
    history = list(
        CharterVersion.objects.filter(charter=charter)
        .select_related("decision")
        .only("number", "created_at", "note", "charter_id", "decision__id", "decision__title")
        .order_by("-number")
    )
    numbers = [version.number for version in history]
    form = CompareForm(
        numbers=numbers,
        initial={
            "a": numbers[1] if len(numbers) > 1 else None,
            "b": numbers[0] if numbers else None,
        },
    )
    return render(
        request,
        "charter/versions.html",
        {
            "charter": charter,
            "history": history,
            "form": form,
            "slug": slug,
        },
    )


def version(request, number, slug=None):
    found = get_object_or_404(
        _versions_of(slug).select_related("charter", "decision"), number=number
    )
    html, toc = render_version(found)
    is_current = not CharterVersion.objects.filter(
        charter_id=found.charter_id, number__gt=found.number
    ).exists()
    return render(
        request,
        "charter/version.html",
        {
            "charter": found.charter,
            "version": found,
            "html": html,
            "toc": toc,
            "slug": slug,
            "is_current": is_current,
        },
    )


def pick_diff(request, slug=None):
    """The compare form of the history page submits here (GET) and lands on the diff's URL."""
    try:
        a, b = int(request.GET["a"]), int(request.GET["b"])
    except (KeyError, ValueError):
        messages.error(request, _("Choose two versions to compare."))
        return redirect(_charter_url("versions", slug))
    if a > b:
        a, b = b, a
    return redirect(_charter_url("diff", slug, a=a, b=b))


def diff(request, a, b, slug=None):
    found = {
        v.number: v for v in _versions_of(slug).filter(number__in=[a, b]).select_related("charter")
    }
    if a not in found or b not in found:
        raise Http404
    old, new = found[a], found[b]
    side = request.GET.get("view") == "side"
    diffs = word_diff(old.text, new.text)
    return render(
        request,
        "charter/diff.html",
        {
            "charter": old.charter,
            "old": old,
            "new": new,
            "slug": slug,
            "side": side,
            "inline": None if side else render_inline(diffs),
            "rows": side_by_side(old.text, new.text) if side else None,
            "stats": diff_stats(diffs),
        },
    )


def _number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def amend(request, slug=None):
    if not can_propose_amendment(request.user):
        raise PermissionDenied
    versions_of_charter = _versions_of(slug).select_related("charter")
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
        form = ResolutionForm(request.POST or None, initial={"text": current_version.text})
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


def decision_section(decision, request):
    """The amendment a charter-change decision carries, shown on the decision's page."""
    amendment = (
        Amendment.objects.select_related(
            "charter", "base_version__charter", "resulting_version__charter"
        )
        .filter(decision_id=decision.pk)
        .first()
    )
    if amendment is None:
        return None
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
