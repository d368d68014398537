from django.urls import path

from . import poll_views

app_name = "polls"

urlpatterns = [
    path("", poll_views.poll_list, name="list"),
    path("<uuid:pk>/", poll_views.poll_detail, name="detail"),
    path("<uuid:pk>/close/", poll_views.poll_close, name="close"),
    path("<uuid:pk>/meeting/", poll_views.poll_meeting, name="meeting"),
]
