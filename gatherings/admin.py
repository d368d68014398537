"""The admin is for repairs (the organisers' page is where gatherings are run): walks and their
stops can be drawn here until the organisers' page has a form for them."""

from django.contrib import admin
from django.db import models

from .models import Gathering, Organiser, Parcours, Poll, Room, Session, Site, Stop, Track


class OrganiserInline(admin.TabularInline):
    model = Organiser
    extra = 0
    raw_id_fields = ["person"]


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0


@admin.register(Gathering)
class GatheringAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on", "registration_open"]
    search_fields = ["title", "slug"]
    inlines = [OrganiserInline, SiteInline, TrackInline]
    raw_id_fields = ["created_by", "meeting"]


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["venue", "gathering"]
    list_select_related = ["venue", "gathering"]
    inlines = [RoomInline]


class StopInline(admin.TabularInline):
    model = Stop
    extra = 0


@admin.register(Parcours)
class ParcoursAdmin(admin.ModelAdmin):
    list_display = ["title", "gathering"]
    list_select_related = ["gathering"]
    inlines = [StopInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "gathering", "state", "starts_at"]
    list_filter = ["state"]
    list_select_related = ["gathering"]
    search_fields = ["title"]
    raw_id_fields = ["proposed_by", "facilitators", "chantier"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # Places on the grid go through the organisers' page (services.place_session), which refuses
    # clashes under the gathering's row lock.
    readonly_fields = ["starts_at", "ends_at", "site", "room", "stop", "split_noticed_at"]


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["title", "created_at", "closed_at"]
    raw_id_fields = ["created_by", "gathering", "chantier", "meeting"]
