"""The composition root's URLs: every app's pages, as DESIGN.md's URL contract gives them."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from commons_registry.feeds import CommonsFeed
from decisions.feeds import DecisionsFeed
from federation import views as federation_views
from workshops.feeds import AgendaFeed
from workshops.urls import calendar_urlpatterns, meetings_urlpatterns, workshops_urlpatterns

from . import views

# Atom feeds, one per app, gathered here under /feeds/ (namespace "feeds").
feeds_urlpatterns = [
    path("agenda.atom", AgendaFeed(), name="agenda"),
    path("decisions.atom", DecisionsFeed(), name="decisions"),
    path("commons.atom", CommonsFeed(), name="commons"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("me/", views.me, name="me"),
    path("me/membership/declare/", views.declare_membership, name="me-declare"),
    path("me/export.json", views.export_my_data, name="me-export"),
    path("me/delete/", views.delete_my_account, name="me-delete"),
    path("me/notifications/", views.my_notifications, name="me-notifications"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm_subscription, name="subscribe-confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("people/", views.people, name="people"),
    path("people/members/", views.members, name="people-members"),
    path("people/members.csv", views.members_csv, name="people-members-csv"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
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
]
