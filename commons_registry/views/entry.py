"""One entry: its page and the history of its changes."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import permissions
from ..charts import assessment_bars
from ..models import Category, Commons
from ..structured_data import commons_entity

HISTORY_LENGTH = 50
HIDDEN_HISTORY_FIELDS = {"confirmation_requested_at"}


@require_GET
def detail(request, slug):
    commons = permissions.commons_for(request, slug)
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
        "structured_data": commons_entity(commons, request.build_absolute_uri),
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
    commons = permissions.commons_for(request, slug)
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
