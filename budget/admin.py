from django.contrib import admin

from .models import BudgetLine, Entry


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    """Lines come only from adopted finance decisions: read-only here."""

    list_display = ["purpose", "amount", "valid_from", "valid_until"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """The ledger is written through the budget pages; corrections are reversing entries."""

    list_display = ["date", "kind", "amount", "counterparty", "line"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
