"""Admin for the directory: categories, entries (with their history) and self-assessments."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import Category, Commons, OstromAssessment


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "colour", "icon", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}


class OstromAssessmentInline(admin.TabularInline):
    model = OstromAssessment
    extra = 0
    fields = ["assessed_on", "assessed_by", *[field for field, _ in OstromAssessment.PRINCIPLES]]
    raw_id_fields = ["assessed_by"]


@admin.register(Commons)
class CommonsAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "status", "state", "last_confirmed_at"]
    list_filter = ["state", "status", "category"]
    search_fields = ["name", "summary", "slug", "external_id"]
    raw_id_fields = ["submitted_by"]
    filter_horizontal = ["stewards"]
    list_select_related = ["category"]
    inlines = [OstromAssessmentInline]
    # Like the public form: "example.org" means https://example.org (and Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
