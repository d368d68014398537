"""Moderation: facilitators publish or reject the proposed entries."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assembly.permissions import facilitator_required

from .. import services
from ..forms import RejectForm
from ..models import Commons


@facilitator_required
@require_GET
def moderation(request):
    proposals = (
        Commons.objects.proposed().select_related("category", "submitted_by").order_by("created_at")
    )
    return render(
        request,
        "commons_registry/moderation.html",
        {"proposals": proposals, "reject_form": RejectForm()},
    )


@facilitator_required
@require_POST
def moderate(request, slug):
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
