"""The import pages, mounted at /settings/imports/ (namespace "imports")."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/<slug:kind>/", views.new, name="new"),
    path("<int:pk>/", views.batch, name="batch"),
    path("<int:pk>/mapping/", views.mapping, name="mapping"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/errors.csv", views.errors_csv, name="errors"),
    path("<int:pk>/undo/", views.undo, name="undo"),
    path("<int:pk>/abandon/", views.abandon, name="abandon"),
]
