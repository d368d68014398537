"""URLs of federation (namespace "network"); /.well-known/assemblee.json is in config/urls.py."""

from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.network, name="index"),
    path("export.geojson", views.export_geojson, name="export-geojson"),
    path("meetings/", views.nearby_meetings, name="meetings"),
]
