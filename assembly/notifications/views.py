"""E-mails that failed or are uncertain (/deliveries/), for facilitators to retry."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assembly.permissions import facilitator_required

from .delivery import retry
from .models import Delivery


@facilitator_required
@require_GET
def delivery_list(request):
    rows = list(
        Delivery.objects.needing_attention().select_related("person").order_by("-created_at")[:200]
    )
    return render(request, "assembly/deliveries.html", {"deliveries": rows})


@facilitator_required
@require_POST
def retry_delivery(request, pk):
    delivery = get_object_or_404(Delivery, pk=pk)
    retry(delivery)
    messages.success(request, _("The e-mail will be sent again with the next batch."))
    return redirect("deliveries:index")
