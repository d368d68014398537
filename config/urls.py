"""The project's URLs: every app's pages, as DESIGN.md's URL contract gives them."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from assembly import identity_views, picker_views
from assembly import views as assembly_views
from commons_registry.feeds import CommonsFeed
from decisions.feeds import DecisionsFeed
from federation import views as federation_views
from portal import views as portal_views
from portal.urls import settings_urlpatterns, setup_urlpatterns
from workshops.feeds import AgendaFeed
from workshops.urls import calendar_urlpatterns, meetings_urlpatterns, workshops_urlpatterns

# Atom feeds, one per app, gathered here under /feeds/ (namespace "feeds").
feeds_urlpatterns = [
    path("agenda.atom", AgendaFeed(), name="agenda"),
    path("decisions.atom", DecisionsFeed(), name="decisions"),
    path("commons.atom", CommonsFeed(), name="commons"),
]

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("healthz", assembly_views.healthz, name="healthz"),
    path("robots.txt", assembly_views.robots_txt, name="robots-txt"),
    path("me/", portal_views.me, name="me"),
    path("me/membership/declare/", portal_views.declare_membership, name="me-declare"),
    path("me/export.json", assembly_views.export_my_data, name="me-export"),
    path("me/delete/", assembly_views.delete_my_account, name="me-delete"),
    path("me/notifications/", assembly_views.my_notifications, name="me-notifications"),
    path("subscribe/", assembly_views.subscribe, name="subscribe"),
    path(
        "subscribe/confirm/<str:token>/",
        assembly_views.confirm_subscription,
        name="subscribe-confirm",
    ),
    path("unsubscribe/<str:token>/", assembly_views.unsubscribe, name="unsubscribe"),
    path("people/", portal_views.people, name="people"),
    path("search/", portal_views.search_page, name="search"),
    path("people/choices.json", picker_views.people_choices, name="people-choices"),
    path("people/members/", portal_views.members, name="people-members"),
    path("people/members.csv", portal_views.members_csv, name="people-members-csv"),
    path("people/duplicates/", identity_views.duplicates, name="people-duplicates"),
    path("people/<int:pk>/", identity_views.identity, name="people-identity"),
    path("people/<int:pk>/email/", identity_views.add_email, name="people-add-email"),
    path("people/merge/<int:kept>/<int:merged>/", identity_views.merge, name="people-merge"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own URLs: its sign-in goes through allauth and its attempt limits.
    path("admin/login/", assembly_views.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("deliveries/", include("assembly.notifications.urls")),
    # The page's old address, from when the delivery log belonged to meetings.
    path(
        "meetings/deliveries/",
        RedirectView.as_view(pattern_name="deliveries:index", permanent=True),
    ),
    path("commons/", include("commons_registry.urls")),
    path("meetings/", include((meetings_urlpatterns, "meetings"))),
    path("workshops/", include((workshops_urlpatterns, "workshops"))),
    path("", include((calendar_urlpatterns, "calendar"))),
    path("decisions/", include("decisions.urls")),
    path("charter/", include("charter.urls")),
    path("feeds/", include((feeds_urlpatterns, "feeds"))),
    path(".well-known/assemblee.json", federation_views.well_known, name="assemblee-json"),
    path("network/", include("federation.urls")),
    path("", include("federation.activitypub_urls")),
    path("chantiers/", include("chantiers.urls")),
    path("budget/", include("budget.urls")),
    path("settings/imports/", include("assembly.imports.urls")),
    # What follows an import (invitations, the notice to subscribers), beside its pages.
    path("settings/imports/", include("assembly.follow_ups.urls")),
    path("setup/", include((setup_urlpatterns, "setup"))),
    path("settings/", include((settings_urlpatterns, "settings"))),
    path("gatherings/", include("gatherings.urls")),
    path("polls/", include("gatherings.poll_urls")),
]

# A 500 caused by a database that stopped answering is a 503 "try again" page.
handler500 = "assembly.unavailable.server_error"
