"""Federation's pages: what we publish about ourselves, and the assemblies we follow."""

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import etag, require_GET, require_POST

from assembly.models import AssemblyConfiguration
from commons_registry import exports
from commons_registry.models import Commons

from . import activitypub, discovery, personal_data, publishing
from .forms import PublicationForm
from .models import (
    ActivityDelivery,
    Follower,
    Neighbour,
    NeighbourCommons,
    NeighbourMeeting,
    Publication,
)
from .permissions import administrator_required

AGENDA_MEETINGS = 10
# Decimal places of a neighbour's coordinates in our export: about 10 cm, the precision RFC 7946
# (11.2) recommends and our own commons are stored with. Neighbours may send floats with 15
# digits; with ~5,000 of their commons that was a third of the compressed export.
COORDINATE_DECIMALS = 6


def _document(request) -> bytes:
    """Built once per request: both the ETag and the body come from it."""
    if not hasattr(request, "_assemblee_document"):
        document = discovery.build_document(request.build_absolute_uri)
        request._assemblee_document = json.dumps(
            document, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder
        ).encode()
    return request._assemblee_document


def _document_etag(request) -> str:
    return hashlib.sha256(_document(request)).hexdigest()[:32]


@require_GET
@cache_control(public=True, max_age=3600)
@etag(_document_etag)
def well_known(request):
    """/.well-known/assemblee.json: the discovery document (format in docs/federation.md)."""
    response = HttpResponse(_document(request), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def chosen_neighbours(request):
    """The neighbours a person chose with ?neighbour=<id>, else every one shown by default."""
    neighbours = Neighbour.objects.shown()
    chosen = [value for value in request.GET.getlist("neighbour") if value.isdigit()]
    if chosen:
        neighbours = Neighbour.objects.filter(pk__in=chosen)
    return neighbours, {int(value) for value in chosen}


def _source(name: str, url: str, local: bool = False) -> dict:
    return {"name": name, "url": url, "local": local}


@require_GET
def network(request):
    """Every followed assembly: where it is, its next meeting, its number of commons."""
    now = timezone.now()
    neighbours = list(Neighbour.objects.with_summary(now).order_by("name", "pk"))
    _chosen, chosen_ids = chosen_neighbours(request)
    query = "&".join(f"neighbour={pk}" for pk in sorted(chosen_ids))
    context = {
        "neighbours": neighbours,
        "chosen_ids": chosen_ids,
        "export_url": reverse("network:export-geojson") + (f"?{query}" if query else ""),
        "map_config": {
            "tilesUrl": settings.MAP_TILES_URL,
            "attribution": settings.MAP_ATTRIBUTION,
            "dataUrl": reverse("network:export-geojson") + (f"?{query}" if query else ""),
            "assemblies": [
                {
                    "name": neighbour.name,
                    "url": neighbour.base_url,
                    "latitude": neighbour.latitude,
                    "longitude": neighbour.longitude,
                }
                for neighbour in neighbours
                if neighbour.latitude is not None
            ],
        },
    }
    return render(request, "federation/network.html", context)


def _neighbour_features(neighbours) -> list[dict]:
    rows = (
        NeighbourCommons.objects.filter(neighbour__in=neighbours)
        .order_by("neighbour__name", "name", "pk")
        .values(
            "source_id", "name", "summary", "url", "category", "status", "latitude", "longitude",
            "neighbour__name", "neighbour__base_url",
        )
    )  # fmt: skip
    features = []
    for row in rows:
        geometry = None
        if row["latitude"] is not None and row["longitude"] is not None:
            coordinates = [
                round(row["longitude"], COORDINATE_DECIMALS),
                round(row["latitude"], COORDINATE_DECIMALS),
            ]
            geometry = {"type": "Point", "coordinates": coordinates}
        features.append(
            {
                "type": "Feature",
                "id": f"{row['neighbour__base_url']}#{row['source_id']}",
                "geometry": geometry,
                "properties": {
                    "name": row["name"],
                    "url": row["url"],
                    "category": row["category"],
                    "status": row["status"],
                    "summary": row["summary"],
                    "source": _source(row["neighbour__name"], row["neighbour__base_url"]),
                },
            }
        )
    return features


@require_GET
def export_geojson(request):
    """Our published commons and the chosen neighbours' commons; each feature names its source.

    ?local=0 leaves ours out (the map's network layer draws ours already); ?neighbour=<id>,
    repeatable, keeps only those neighbours.
    """
    features = []
    if request.GET.get("local") != "0":
        ours = exports.geojson_collection(Commons.objects.all(), request.build_absolute_uri)
        source = _source(
            AssemblyConfiguration.get().name, request.build_absolute_uri("/"), local=True
        )
        for feature in ours["features"]:
            feature["properties"]["source"] = source
        features = ours["features"]
    neighbours, _chosen = chosen_neighbours(request)
    features += _neighbour_features(neighbours)
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features},
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def nearby_meetings(request):
    """The agenda's "nearby assemblies" section: the chosen neighbours' upcoming meetings."""
    neighbours, chosen_ids = chosen_neighbours(request)
    meetings = (
        NeighbourMeeting.objects.filter(neighbour__in=neighbours, ends_at__gte=timezone.now())
        .select_related("neighbour")
        .order_by("starts_at", "pk")[:AGENDA_MEETINGS]
    )
    template = "federation/_nearby_meetings.html"
    if not request.htmx:
        template = "federation/nearby_meetings.html"
    return render(
        request,
        template,
        {
            "meetings": meetings,
            "neighbours": Neighbour.objects.order_by("name", "pk"),
            "chosen_ids": chosen_ids,
        },
    )


@administrator_required
def fediverse_settings(request):
    """Administrators: publish to the fediverse or not, under which handle; followers and the
    deliveries given up. /settings/ links here."""
    publication = Publication.get()
    form = PublicationForm(request.POST or None, instance=publication)
    if request.method == "POST" and form.is_valid():
        publishing.configure(form.cleaned_data["enabled"], form.cleaned_data["handle"])
        messages.success(request, _("The fediverse settings are saved."))
        return redirect("network:fediverse")
    return render(
        request,
        "federation/fediverse_settings.html",
        {
            "form": form,
            "publication": publication,
            "address": f"@{publication.handle}@{activitypub.host()}",
            "followers": Follower.objects.order_by("followed_at", "pk"),
            "given_up": ActivityDelivery.objects.given_up()
            .select_related("activity")
            .order_by("-created_at", "-pk")[:50],
            "waiting": ActivityDelivery.objects.filter(
                state=ActivityDelivery.State.PENDING
            ).count(),
        },
    )


@administrator_required
@require_POST
def forget_follower(request, pk):
    follower = get_object_or_404(Follower, pk=pk)
    personal_data.forget_follower(follower)
    messages.success(request, _("The follower and what we kept about it are forgotten."))
    return redirect("network:fediverse")


@administrator_required
@require_GET
def follower_export(request, pk):
    follower = get_object_or_404(Follower, pk=pk)
    response = JsonResponse(
        personal_data.follower_records(follower), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="follower.json"'
    return response
