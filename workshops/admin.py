"""The admin of meetings: the rhythm, venues, meetings and workshops."""

from django.contrib import admin

from .models import Meeting, Rhythm, Venue, Workshop


@admin.register(Rhythm)
class RhythmAdmin(admin.ModelAdmin):
    list_display = ["__str__", "weekday", "week_of_month", "start_times", "months_ahead"]

    def has_add_permission(self, request):
        return not Rhythm.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "has_projector", "has_good_internet"]
    search_fields = ["name", "address"]


class WorkshopInline(admin.TabularInline):
    model = Workshop
    fields = ["title", "proposed_by", "capacity", "is_initiation", "hidden"]
    raw_id_fields = ["proposed_by"]
    extra = 0
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "venue", "kind", "status"]
    list_filter = ["status", "kind"]
    date_hierarchy = "starts_at"
    search_fields = ["title"]
    raw_id_fields = ["hosts"]
    list_select_related = ["venue"]
    inlines = [WorkshopInline]

    def has_delete_permission(self, request, obj=None):
        # Meetings are never deleted: cancel them with a reason instead.
        return False


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "proposed_by", "is_initiation", "hidden"]
    list_filter = ["hidden", "is_initiation"]
    search_fields = ["title", "description"]
    raw_id_fields = ["meeting", "proposed_by", "facilitators"]
    autocomplete_fields = []
    list_select_related = ["meeting", "proposed_by"]
