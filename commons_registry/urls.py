"""URLs of the directory, as DESIGN.md's URL contract gives them (namespace "commons")."""

from django.urls import path

from . import views

app_name = "commons"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("map/", views.map_page, name="map"),
    path("propose/", views.propose, name="propose"),
    path("moderation/", views.moderation, name="moderation"),
    path("export.geojson", views.export_geojson, name="export-geojson"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.edit, name="edit"),
    path("<slug:slug>/history/", views.history, name="history"),
    path("<slug:slug>/confirm/", views.confirm, name="confirm"),
    path("<slug:slug>/assessment/", views.assess, name="assess"),
    path("<slug:slug>/moderate/", views.moderate, name="moderate"),
]
