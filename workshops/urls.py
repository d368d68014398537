"""URLs of meetings (/meetings/…), workshops (/workshops/…) and the iCalendar feeds.

assembly/urls.py includes each list under its namespace: "meetings", "workshops", "calendar".
"""

from django.urls import path

from . import views

meetings_urlpatterns = [
    path("", views.agenda, name="index"),
    path("new/", views.new_meeting, name="new"),
    path("venues/", views.venue_list, name="venues"),
    path("venues/new/", views.new_venue, name="new-venue"),
    path("venues/<int:pk>/edit/", views.edit_venue, name="edit-venue"),
    path("deliveries/", views.delivery_list, name="deliveries"),
    path("deliveries/<int:pk>/retry/", views.retry_delivery, name="retry-delivery"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/edit/", views.edit_meeting, name="edit"),
    path("<int:pk>/cancel/", views.cancel_meeting, name="cancel"),
    path("<int:pk>/reinstate/", views.reinstate_meeting, name="reinstate"),
    path("<int:pk>/host/", views.volunteer_to_host, name="host"),
    path("<int:pk>/notes/", views.plenary_notes, name="notes"),
    path("<int:pk>/attendance/", views.attendance_sheet, name="attendance"),
    path("<int:pk>/attendance/tick/", views.tick_attendance, name="tick"),
    path("<int:pk>/attendance/walk-in/", views.walk_in, name="walk-in"),
]

workshops_urlpatterns = [
    path("propose/", views.propose_workshop, name="propose"),
    path("<int:pk>/", views.workshop_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_workshop, name="edit"),
    path("<int:pk>/hide/", views.hide_workshop, name="hide"),
    path("<int:pk>/notes/", views.workshop_notes, name="notes"),
    path("<int:pk>/sign-up/", views.sign_up, name="sign-up"),
]

calendar_urlpatterns = [
    path("calendar.ics", views.calendar_feed, name="public"),
    path("calendar/<str:token>.ics", views.private_feed, name="private"),
    path("calendar/revoke/", views.revoke_calendar_token, name="revoke"),
]
