"""Pages of the directory: thin views that check permission, call a service, render or redirect."""

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assembly.ratelimits import rate_limited

from . import exports, permissions, services
from .charts import assessment_bars
from .filters import CommonsFilter
from .forms import AssessmentForm, CommonsForm, RejectForm
from .models import Category, Commons

PAGE_SIZE = 24
HISTORY_LENGTH = 50
HIDDEN_HISTORY_FIELDS = {"moderation_notified_at", "confirmation_requested_at"}


# --- Directory, map and exports -------------------------------------------------------------------


def _filter_query(request, drop=("page", "embed")) -> str:
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


def _listing(request) -> dict:
    """What the directory and the map share: filters, counts per category, one page of entries."""
    published = Commons.objects.published()
    filterset = CommonsFilter(request.GET or None, queryset=published)
    # Counts per category answer "how many would I see if I picked this category?".
    without_category = request.GET.copy()
    without_category.pop("category", None)
    counts = dict(
        CommonsFilter(without_category or None, queryset=published)
        .qs.order_by()
        .values_list("category_id")
        .annotate(total=Count("pk"))
    )
    categories = list(Category.objects.all())
    for category in categories:
        category.total = counts.get(category.pk, 0)
    entries = (
        filterset.qs.select_related("category")
        .defer("description", "resource", "community", "governance")
        .order_by("name", "pk")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "selected": {
            "q": request.GET.get("q", ""),
            "category": request.GET.get("category", ""),
            "status": request.GET.get("status", ""),
            "location": request.GET.get("location", ""),
        },
        "status_choices": Commons.Status.choices,
        "location_choices": CommonsFilter.LOCATION_CHOICES,
        "categories": categories,
        "page_obj": page,
        "query": _filter_query(request),
        "can_propose": permissions.can_propose(request.user),
        "can_moderate": permissions.can_moderate(request.user),
    }


@require_GET
def directory(request):
    return render(request, "commons_registry/directory.html", _listing(request))


@require_GET
def map_page(request):
    context = _listing(request)
    query = context["query"]
    data_url = reverse("commons:export-geojson") + (f"?{query}" if query else "")
    embed = request.GET.get("embed") == "1"
    context.update({
        "embed": embed,
        "map_config": {
            "dataUrl": data_url,
            "tilesUrl": settings.MAP_TILES_URL,
            "attribution": settings.MAP_ATTRIBUTION,
            "embed": embed,
            "linkLabel": _("Open the entry"),
        },
    })  # fmt: skip
    if not embed:
        return render(request, "commons_registry/map.html", context)
    response = render(request, "commons_registry/map_embed.html", context)
    origins = list(settings.MAP_EMBED_ORIGINS)
    if not origins:
        # No site may frame the map: X-Frame-Options DENY and frame-ancestors 'none' stay.
        return response
    return _framable_by(response, origins)


def _framable_by(response, origins):
    """Let the configured origins, and only them, frame this one response."""

    @xframe_options_exempt
    @csp_replace({"frame-ancestors": origins})
    def embeddable(*args, **kwargs):
        return response

    return embeddable()


@require_GET
def export_geojson(request):
    filterset = CommonsFilter(request.GET or None, queryset=Commons.objects.all())
    data = exports.geojson_collection(filterset.qs, request.build_absolute_uri)
    response = JsonResponse(
        data, content_type="application/geo+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def export_csv(request):
    filterset = CommonsFilter(request.GET or None, queryset=Commons.objects.all())
    text = exports.csv_text(filterset.qs, request.build_absolute_uri)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="commons.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- One entry ------------------------------------------------------------------------------------


def _entry(request, slug, queryset=None) -> Commons:
    queryset = queryset if queryset is not None else Commons.objects.select_related("category")
    if request.user.is_authenticated:
        queryset = queryset.prefetch_related("stewards")
    commons = get_object_or_404(queryset, slug=slug)
    if not permissions.can_view(request.user, commons):
        raise Http404
    return commons


@require_GET
def detail(request, slug):
    commons = _entry(request, slug)
    assessment = commons.assessments.first()
    workshops = list(
        commons.workshops.filter(hidden=False)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "title")[:20]
    )
    decisions = list(commons.decisions.order_by("-created_at")[:20])
    user = request.user
    return render(request, "commons_registry/detail.html", {
        "commons": commons,
        "assessment": assessment,
        "chart": assessment_bars(assessment) if assessment else None,
        "workshops": workshops,
        "decisions": decisions,
        "can_edit": permissions.can_edit(user, commons),
        "can_assess": permissions.can_assess(user, commons),
        "can_confirm": permissions.can_confirm(user, commons),
        "can_moderate": permissions.can_moderate(user) and commons.state == Commons.State.PROPOSED,
        "to_be_confirmed": commons.awaiting_confirmation(),
        "map_tiles_url": settings.MAP_TILES_URL,
        "map_attribution": settings.MAP_ATTRIBUTION,
    })  # fmt: skip


@require_GET
def history(request, slug):
    commons = _entry(request, slug)
    records = list(
        commons.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_LENGTH + 1
        ]
    )
    category_names = dict(Category.objects.values_list("pk", "name"))
    changes = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(changes) == HISTORY_LENGTH:
            break
        fields = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=HIDDEN_HISTORY_FIELDS)
            for change in delta.changes:
                old, new = change.old, change.new
                if change.field == "category":
                    old, new = category_names.get(old, old), category_names.get(new, new)
                fields.append({
                    "label": Commons._meta.get_field(change.field).verbose_name,
                    "old": "" if old is None else old,
                    "new": "" if new is None else new,
                })  # fmt: skip
        changes.append({"record": newer, "fields": fields, "created": older is None})
    return render(
        request, "commons_registry/history.html", {"commons": commons, "changes": changes}
    )


# --- Contributing ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@rate_limited("commons_proposal")
def propose(request):
    if not permissions.can_propose(request.user):
        raise PermissionDenied
    form = CommonsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            commons = services.propose_commons(by=request.user, data=form.data_for_service())
        except services.CommonsError as error:
            form.add_error(None, _error_with_link(error))
        else:
            messages.success(
                request,
                _("Thank you! Your proposal is saved; a facilitator will publish it soon."),
            )
            return redirect(commons)
    return render(request, "commons_registry/propose.html", {"form": form})


def _error_with_link(error: services.CommonsError):
    if error.existing is None:
        return str(error)
    return format_html(
        '{} <a href="{}">{}</a>', str(error), error.existing.get_absolute_url(), error.existing.name
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    commons = _entry(request, slug)
    if not permissions.can_edit(request.user, commons):
        raise PermissionDenied
    form = CommonsForm(request.POST or None, instance=commons, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            commons = services.edit_commons(
                Commons.objects.get(pk=commons.pk), by=request.user, data=form.data_for_service()
            )
        except services.CommonsError as error:
            form.add_error(None, _error_with_link(error))
        else:
            messages.success(request, _("The entry is updated."))
            return redirect(commons)
    return render(request, "commons_registry/edit.html", {"form": form, "commons": commons})


@login_required
@require_POST
def confirm(request, slug):
    commons = _entry(request, slug)
    if not permissions.can_confirm(request.user, commons):
        raise PermissionDenied
    try:
        services.confirm_commons(commons, by=request.user)
    except services.CommonsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you: the entry is confirmed as up to date."))
    return redirect(commons)


@login_required
@require_http_methods(["GET", "POST"])
def assess(request, slug):
    commons = _entry(request, slug)
    if not permissions.can_assess(request.user, commons):
        raise PermissionDenied
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_assessment(
            commons, by=request.user, levels=form.levels(), comments=form.comments()
        )
        messages.success(request, _("The self-assessment is saved."))
        return redirect(commons)
    return render(request, "commons_registry/assess.html", {"form": form, "commons": commons})


# --- Moderation -----------------------------------------------------------------------------------


@login_required
@require_GET
def moderation(request):
    if not permissions.can_moderate(request.user):
        raise PermissionDenied
    proposals = (
        Commons.objects.proposed().select_related("category", "submitted_by").order_by("created_at")
    )
    return render(
        request,
        "commons_registry/moderation.html",
        {"proposals": proposals, "reject_form": RejectForm()},
    )


@login_required
@require_POST
def moderate(request, slug):
    if not permissions.can_moderate(request.user):
        raise PermissionDenied
    commons = get_object_or_404(Commons, slug=slug)
    action = request.POST.get("action")
    try:
        if action == "publish":
            services.publish_commons(commons, by=request.user)
            messages.success(request, _("“%(name)s” is published.") % {"name": commons.name})
        elif action == "reject":
            form = RejectForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.reject_commons(commons, by=request.user, reason=reason)
            messages.success(request, _("“%(name)s” is rejected.") % {"name": commons.name})
        else:
            messages.error(request, _("Choose to publish or to reject."))
    except services.CommonsError as error:
        messages.error(request, str(error))
    return redirect("commons:moderation")
