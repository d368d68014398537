from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Card, Chantier, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Chantier)
class ChantierAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [ParticipantInline]
    raw_id_fields = ["started_by"]


@admin.register(Card)
class CardAdmin(SimpleHistoryAdmin):
    list_display = ["title", "chantier", "column"]
    list_select_related = ["chantier", "column"]
    raw_id_fields = ["assignee", "created_by"]
    # Moves go through the board (chantiers.services.move_card), which keeps order keys unique.
    readonly_fields = ["chantier", "column", "order"]
