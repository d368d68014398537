"""URLs of the directory, as DESIGN.md's URL contract gives them (namespace "commons")."""

from django.urls import path

from .views import contributing, directory, entry, moderation

app_name = "commons"

urlpatterns = [
    path("", directory.directory, name="directory"),
    path("map/", directory.map_page, name="map"),
    path("propose/", contributing.propose, name="propose"),
    path("moderation/", moderation.moderation, name="moderation"),
    path("export.geojson", directory.export_geojson, name="export-geojson"),
    path("export.csv", directory.export_csv, name="export-csv"),
    path("choices.json", directory.choices_json, name="choices"),
    path("export.gogocarto.json", directory.export_gogocarto, name="export-gogocarto"),
    path("<slug:slug>/", entry.detail, name="detail"),
    path("<slug:slug>/edit/", contributing.edit, name="edit"),
    path("<slug:slug>/history/", entry.history, name="history"),
    path("<slug:slug>/confirm/", contributing.confirm, name="confirm"),
    path("<slug:slug>/assessment/", contributing.assess, name="assess"),
    path("<slug:slug>/moderate/", moderation.moderate, name="moderate"),
]
