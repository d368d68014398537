"""The directory, the map and the exports: published entries, the same filters everywhere."""

from csp.decorators import csp_replace
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from assembly.models import AssemblyConfiguration

from .. import exports, permissions
from ..filters import CommonsFilter
from ..models import Category, Commons

PAGE_SIZE = 24


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
            "centre": _town_centre(),
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


def _town_centre() -> list[float] | None:
    """Where the map opens before its markers load: the town set by the administrators."""
    config = AssemblyConfiguration.current()
    if config.map_latitude is None or config.map_longitude is None:
        return None
    return [float(config.map_latitude), float(config.map_longitude)]


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


# At most this many suggestions for a picker (assembly/pickers.py) as one types.
CHOICES_LIMIT = 20


@require_GET
def choices_json(request):
    """Published commons whose name holds `q`, for the searchable picker of the forms that link
    a workshop, a discussion or a chantier to commons: one query, at most CHOICES_LIMIT rows."""
    query = request.GET.get("q", "").strip()[:100]
    rows = (
        Commons.objects.published().filter(name__icontains=query).order_by("name")
        .values_list("pk", "name")[:CHOICES_LIMIT]
        if query
        else []
    )  # fmt: skip
    return JsonResponse({"results": [{"id": pk, "label": name} for pk, name in rows]})


@require_GET
def export_gogocarto(request):
    """/commons/export.gogocarto.json: the directory for GoGoCarto maps and Transiscope."""
    filterset = CommonsFilter(request.GET or None, queryset=Commons.objects.all())
    response = JsonResponse(
        exports.gogocarto_document(filterset.qs, request.build_absolute_uri),
        json_dumps_params={"ensure_ascii": False},
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
