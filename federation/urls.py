"""URLs of federation (namespace "network"); /.well-known/assemblee.json is in config/urls.py."""

from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.network, name="index"),
    path("export.geojson", views.export_geojson, name="export-geojson"),
    path("meetings/", views.nearby_meetings, name="meetings"),
    path("fediverse/", views.fediverse_settings, name="fediverse"),
    path("fediverse/followers/<int:pk>/forget/", views.forget_follower, name="forget-follower"),
    path("fediverse/followers/<int:pk>/export.json", views.follower_export, name="follower-export"),
]
