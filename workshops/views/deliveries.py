"""E-mails that failed or are uncertain, for facilitators to retry."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import deliveries
from ..models import Delivery
from .common import require_facilitator


@require_GET
def delivery_list(request):
    if not require_facilitator(request):
        return redirect(f"{reverse('account_login')}?next={request.path}")
    rows = list(
        Delivery.objects.needing_attention().select_related("person").order_by("-created_at")[:200]
    )
    return render(request, "workshops/deliveries.html", {"deliveries": rows})


@require_POST
def retry_delivery(request, pk):
    if not require_facilitator(request):
        raise PermissionDenied
    delivery = get_object_or_404(Delivery, pk=pk)
    deliveries.retry(delivery)
    messages.success(request, _("The e-mail will be sent again with the next batch."))
    return redirect("meetings:deliveries")
