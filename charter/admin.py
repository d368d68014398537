"""The charter in the admin: documents are editable, versions only readable. The one way to add a
version here is to import an existing charter as version 1; later versions come from decisions."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import ImportForm
from .models import Amendment, Charter, CharterVersion


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    list_display = ["charter", "number", "created_at", "decision", "note"]
    list_filter = ["charter"]
    list_select_related = ["charter", "decision"]
    readonly_fields = ["charter", "number", "created_at", "decision", "note", "text"]
    form = ImportForm

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["charter", "text", "note"]
        return ["charter", "number", "created_at", "decision", "note", "text"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The import goes through the same rule as everywhere else; the admin then needs the
        # saved row's identity for its log and redirect.
        version = services.import_charter(
            form.cleaned_data["charter"],
            text=form.cleaned_data["text"],
            note=form.cleaned_data["note"],
        )
        obj.pk, obj.number, obj.created_at, obj.note = (
            version.pk,
            version.number,
            version.created_at,
            version.note,
        )
        obj._state.adding = False
        obj._state.db = version._state.db
        messages.info(request, _("The charter is imported as version 1."))


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["decision", "charter", "base_version", "status", "resulting_version"]
    list_filter = ["status", "charter"]
    list_select_related = [
        "decision",
        "charter",
        "base_version__charter",
        "resulting_version__charter",
    ]

    def has_add_permission(self, request):
        return False  # amendments are proposed on the site, as charter-change decisions

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
