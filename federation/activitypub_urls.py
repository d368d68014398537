"""URLs of the fediverse actor (namespace "activitypub"), mounted at the site's root."""

from django.urls import path

from . import activitypub_views as views

app_name = "activitypub"

urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path(".well-known/nodeinfo", views.nodeinfo_links, name="nodeinfo-links"),
    path("nodeinfo/2.1", views.nodeinfo, name="nodeinfo"),
    path("fediverse/actor", views.actor, name="actor"),
    path("fediverse/inbox", views.inbox, name="inbox"),
    path("fediverse/outbox", views.outbox, name="outbox"),
    path("fediverse/followers", views.followers, name="followers"),
]
