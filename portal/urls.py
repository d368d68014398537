"""/setup/ (namespace "setup") and /settings/ (namespace "settings"), mounted by config/urls.py.
/settings/imports/ belongs to the import engine (namespace "imports")."""

from django.urls import path

from . import setup, site_settings

setup_urlpatterns = [
    path("", setup.index, name="index"),
    path("who-we-are/", setup.identity, name="identity"),
    path("rhythm/", setup.rhythm, name="rhythm"),
    path("rules/", setup.rules, name="rules"),
    path("facilitators/", setup.facilitators, name="facilitators"),
    path("email/", setup.email, name="email"),
    path("moving-in/", setup.done, name="done"),
    path("claim/<str:token>/", setup.claim, name="claim"),
]

settings_urlpatterns = [
    path("", site_settings.index, name="index"),
    path("who-we-are/", site_settings.identity, name="identity"),
    path("rules/", site_settings.rules, name="rules"),
    path("rhythm/", site_settings.rhythm, name="rhythm"),
    path("facilitators/", site_settings.facilitators_settings, name="facilitators"),
    path("email/", site_settings.email_check, name="email"),
    path("categories/", site_settings.categories, name="categories"),
    path("categories/new/", site_settings.category, name="category-new"),
    path("categories/<int:pk>/", site_settings.category, name="category"),
    path("checklist/dismiss/", site_settings.dismiss_checklist, name="dismiss-checklist"),
]
