"""Reading the charter: the current text, every version, the difference between any two."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from decisions.models import Decision

from ..diffs import diff_stats, render_inline, side_by_side, word_diff
from ..forms import CompareForm
from ..models import DEFAULT_SLUG, Amendment, Charter, CharterVersion
from ..permissions import can_propose_amendment, can_resolve_conflicts
from ..rendering import render_version


def _charter_url(name, slug, **kwargs):
    if slug:
        kwargs["slug"] = slug
    return reverse(f"charter:{name}", kwargs=kwargs)


def versions_of(slug):
    return CharterVersion.objects.filter(charter__slug=slug or DEFAULT_SLUG)


def current(request, slug=None):
    version = versions_of(slug).select_related("charter", "decision").order_by("-number").first()
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
        versions_of(slug).select_related("charter", "decision"), number=number
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
        v.number: v for v in versions_of(slug).filter(number__in=[a, b]).select_related("charter")
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
