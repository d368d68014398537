"""Admin: follow a neighbouring assembly by its address (validated before anything is saved)."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ActivityDelivery, Follower, Neighbour, NeighbourCommons, NeighbourMeeting


class FollowForm(forms.ModelForm):
    """Only the address: the rest comes from the neighbour's discovery document."""

    base_url = forms.URLField(
        label=_("address"),
        max_length=300,
        assume_scheme="https",
        help_text=_("The address of the other Assemblée, e.g. https://assemblee-lille.org"),
    )

    class Meta:
        model = Neighbour
        fields = ["base_url"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("base_url") and not self.errors:
            try:
                self.base_url, self.profile = services.check_neighbour(cleaned["base_url"])
            except services.FollowError as error:
                raise forms.ValidationError(
                    _("This assembly cannot be followed: %(reason)s"), params={"reason": error}
                ) from error
        return cleaned

    def validate_unique(self):
        """check_neighbour() says when it is already followed, after normalising the address."""


@admin.register(Neighbour)
class NeighbourAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "city", "base_url", "shown", "last_success_at", "failing_since"]
    list_filter = ["shown"]
    search_fields = ["name", "city", "base_url"]
    actions = ["refresh_now"]
    readonly_fields = [
        "base_url", "name", "city", "description", "languages", "latitude", "longitude",
        "software", "commons_feed_url", "calendar_feed_url", "followed_at", "last_success_at",
        "failing_since", "failures", "last_error", "next_attempt_at", "rejected_items",
    ]  # fmt: skip

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = FollowForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["base_url"]
        return ["shown", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        now = timezone.now()
        for key, value in form.profile.items():
            setattr(obj, key, value)
        obj.base_url = form.base_url
        obj.followed_at = now
        obj.save()
        report = services.refresh_neighbour(obj, now=now)
        if report.error:
            messages.warning(
                request,
                _("Followed, but its feeds could not be fetched yet: %(error)s")
                % {"error": report.error},
            )

    @admin.action(description=_("Refresh now"))
    def refresh_now(self, request, queryset):
        for neighbour in queryset:
            report = services.refresh_neighbour(neighbour)
            if report.error:
                messages.warning(request, f"{neighbour}: {report.error}")
            else:
                messages.success(
                    request,
                    _("%(name)s: %(commons)s commons, %(meetings)s meetings, %(rejected)s rejected")
                    % {
                        "name": neighbour,
                        "commons": report.commons,
                        "meetings": report.meetings,
                        "rejected": report.rejected,
                    },
                )


@admin.register(NeighbourCommons)
class NeighbourCommonsAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "neighbour", "category", "status"]
    list_filter = ["neighbour"]
    search_fields = ["name"]
    list_select_related = ["neighbour"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NeighbourMeeting)
class NeighbourMeetingAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "neighbour", "starts_at", "cancelled"]
    list_filter = ["neighbour"]
    list_select_related = ["neighbour"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The fediverse: for repairs only; administrators run it from /network/fediverse/.


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ["actor_url", "shared_inbox_url", "followed_at"]
    search_fields = ["actor_url"]
    readonly_fields = ["actor_url", "inbox_url", "shared_inbox_url", "follow_activity_id"]


@admin.register(ActivityDelivery)
class ActivityDeliveryAdmin(admin.ModelAdmin):
    list_display = ["activity", "inbox_url", "state", "attempts", "next_attempt_at"]
    list_filter = ["state"]
    list_select_related = ["activity"]
    readonly_fields = ["activity", "inbox_url", "attempts", "created_at", "sent_at", "last_error"]
