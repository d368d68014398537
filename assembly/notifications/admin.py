"""The delivery log in the admin: read-only, with a retry action for failed or uncertain rows."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .delivery import retry as retry_delivery
from .models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["topic", "kind", "person", "state", "created_at", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["topic", "person__email"]
    list_select_related = ["person"]
    readonly_fields = [
        "person",
        "topic",
        "kind",
        "state",
        "created_at",
        "claimed_at",
        "sent_at",
        "error",
    ]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again (failed or uncertain only)"))
    def retry(self, request, queryset):
        for delivery in queryset:
            retry_delivery(delivery)
