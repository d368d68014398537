"""The admin shows decisions and their history; phases and votes only move through services."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import Comment, Decision


class CommentInline(admin.TabularInline):
    model = Comment
    fields = ["author", "created_at", "text", "hidden"]
    readonly_fields = ["author", "created_at", "text"]
    extra = 0
    can_delete = False


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "phase", "outcome", "created_at", "vote_closes_at"]
    list_filter = ["phase", "kind", "outcome"]
    search_fields = ["title"]
    date_hierarchy = "created_at"
    filter_horizontal = ["related_commons"]
    # The phase, dates, roll and counts change only through decisions/services.py.
    readonly_fields = [
        "phase",
        "discussion_days",
        "vote_days",
        "quorum_percent",
        "created_at",
        "discussion_ends_at",
        "vote_opens_at",
        "vote_closes_at",
        "closed_at",
        "outcome",
        "roll_size",
        "roll_fingerprint",
        "consent_count",
        "abstain_count",
        "objection_count",
        "previous_round",
        "proposal",
        "kind",
        "author",
    ]
    inlines = [CommentInline]

    def has_add_permission(self, request):
        return False  # opened through /decisions/new/ so the configured lengths apply

    # simple-history's "Revert" saves an old row whole: it would put a closed vote back in its
    # voting phase with its old counts, and blank the context (kept out of the history). The
    # history stays readable; it is never written back.
    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
