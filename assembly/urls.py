"""The composition root's URLs: every app's pages, as DESIGN.md's URL contract gives them."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("me/", views.me, name="me"),
    path("people/", views.people, name="people"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Sections whose apps are still to come; each app's issue replaces its line.
    path("commons/", include("commons_registry.urls")),
    path("meetings/", views.placeholder, {"section": _("Agenda")}, name="meetings-index"),
    path("decisions/", views.placeholder, {"section": _("Decisions")}, name="decisions-index"),
    path("charter/", views.placeholder, {"section": _("Charter")}, name="charter-index"),
]
