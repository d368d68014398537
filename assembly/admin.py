from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AssemblyConfiguration, DeferredTask, User
from .notifications import admin as notifications_admin  # noqa: F401 (registers the delivery log)

# Volunteers land here from the site's "Admin" link; "Django administration" meant nothing to them.
admin.site.site_header = _("Assemblée administration")
admin.site.site_title = _("Assemblée administration")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["display_name"]
    list_display = [
        "display_name",
        "email",
        "listed",
        "membership_declared_at",
        "eligible_until",
        "is_staff",
    ]
    list_filter = ["is_staff", "is_active", "listed", "groups"]
    search_fields = ["display_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {"fields": ["display_name", "bio", "listed", "language"]},
        ),
        (_("Membership"), {"fields": ["membership_declared_at", "eligible_until"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]},
        ),
    ]


@admin.register(AssemblyConfiguration)
class AssemblyConfigurationAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not AssemblyConfiguration.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeferredTask)
class DeferredTaskAdmin(admin.ModelAdmin):
    """Tasks waiting for the broker to come back: shown, never written by hand."""

    list_display = ["name", "kwargs", "deferred_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
