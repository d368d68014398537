from django.urls import path

from . import views
from .feeds import ProgrammeChangesFeed

app_name = "gatherings"

urlpatterns = [
    path("", views.gathering_list, name="list"),
    path("new/", views.gathering_new, name="new"),
    path("programme-worker.js", views.programme_worker, name="programme-worker"),
    path("<slug:slug>/", views.gathering_detail, name="detail"),
    path("<slug:slug>/edit/", views.gathering_edit, name="edit"),
    path("<slug:slug>/register/", views.gathering_register, name="register"),
    path("<slug:slug>/programme/", views.programme, name="programme"),
    path("<slug:slug>/programme.ics", views.programme_ics, name="programme-ics"),
    path("<slug:slug>/changes.atom", ProgrammeChangesFeed(), name="changes"),
    path("<slug:slug>/propose/", views.propose, name="propose"),
    path("<slug:slug>/me/", views.my_programme, name="me"),
    path("<slug:slug>/me/<str:token>.ics", views.my_programme_ics, name="me-ics"),
    path("<slug:slug>/facilitate/", views.volunteer, name="volunteer"),
    path("<slug:slug>/minutes/", views.minutes, name="minutes"),
    path("<slug:slug>/minutes/history/", views.minutes_history, name="minutes-history"),
    path("<slug:slug>/organise/", views.organise, name="organise"),
    path("<slug:slug>/organise/site/", views.organise_site, name="organise-site"),
    path("<slug:slug>/organise/room/", views.organise_room, name="organise-room"),
    path("<slug:slug>/organise/track/", views.organise_track, name="organise-track"),
    path("<slug:slug>/organise/format/", views.organise_format, name="organise-format"),
    path("<slug:slug>/organise/organiser/", views.organise_organiser, name="organise-organiser"),
    path("<slug:slug>/organise/walks/", views.organise_walk, name="organise-walk"),
    path(
        "<slug:slug>/organise/walks/<int:pk>/",
        views.organise_walk_change,
        name="organise-walk-change",
    ),
    path("<slug:slug>/organise/publish/", views.organise_publish, name="organise-publish"),
    path("<slug:slug>/organise/desk/", views.organise_desk, name="organise-desk"),
    path("<slug:slug>/sessions/<int:pk>/", views.session_detail, name="session"),
    path("<slug:slug>/sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path(
        "<slug:slug>/sessions/<int:pk>/register/", views.session_register, name="session-register"
    ),
    path("<slug:slug>/sessions/<int:pk>/review/", views.session_review, name="session-review"),
    path("<slug:slug>/sessions/<int:pk>/place/", views.session_place, name="session-place"),
    path("<slug:slug>/sessions/<int:pk>/split/", views.session_split, name="session-split"),
    path("<slug:slug>/sessions/<int:pk>/assign/", views.session_assign, name="session-assign"),
    path("<slug:slug>/sessions/<int:pk>/notes/", views.session_notes, name="session-notes"),
    path(
        "<slug:slug>/sessions/<int:pk>/notes/history/",
        views.session_notes_history,
        name="session-notes-history",
    ),
]
