"""The follow-up actions of an import, for administrators: a page that says what the action does
and to how many (GET), and the action itself (POST), then a confirmation message."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from assembly.imports.models import ImportBatch
from assembly.permissions import administrator_required

from . import (
    PEOPLE_KINDS,
    SUBSCRIBER_KINDS,
    invite,
    people_to_invite,
    queue_notice,
    subscribers_owed_notice,
)

SHOWN = 50


def _batch(pk, kinds) -> ImportBatch:
    return get_object_or_404(
        ImportBatch.objects.filter(status=ImportBatch.Status.APPLIED, kind__in=kinds), pk=pk
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def invite_people(request, pk):
    batch = _batch(pk, PEOPLE_KINDS)
    if request.method == "POST":
        count = invite(batch)
        messages.success(
            request,
            ngettext(
                "%(count)s invitation to claim an account is on its way.",
                "%(count)s invitations to claim an account are on their way.",
                count,
            )
            % {"count": count}
            if count
            else _("Nobody left to invite: everyone was invited already."),
        )
        return redirect("import-follow-ups:invite", pk=batch.pk)
    people = people_to_invite(batch).order_by("display_name", "pk")
    return render(
        request,
        "assembly/follow_ups/invite.html",
        {
            "batch": batch,
            "count": people.count(),
            "people": people.only("display_name", "email")[:SHOWN],
        },
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def send_notice(request, pk):
    batch = _batch(pk, SUBSCRIBER_KINDS)
    if request.method == "POST":
        count = queue_notice(batch)
        messages.success(
            request,
            ngettext(
                "The notice is on its way to %(count)s subscriber.",
                "The notice is on its way to %(count)s subscribers.",
                count,
            )
            % {"count": count}
            if count
            else _("Every subscriber of this import was sent the notice already."),
        )
        return redirect("import-follow-ups:notice", pk=batch.pk)
    subscribers = subscribers_owed_notice(batch).order_by("email")
    return render(
        request,
        "assembly/follow_ups/notice.html",
        {
            "batch": batch,
            "count": subscribers.count(),
            "subscribers": subscribers.only("email", "name")[:SHOWN],
        },
    )
