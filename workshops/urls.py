"""URLs of meetings (/meetings/…), workshops (/workshops/…) and the iCalendar feeds.

config/urls.py includes each list under its namespace: "meetings", "workshops", "calendar".
"""

from django.urls import path

from .views import attendance, board, calendar, meetings, minutes, notes, workshop_pages

meetings_urlpatterns = [
    path("", board.agenda, name="index"),
    path("new/", meetings.new_meeting, name="new"),
    path("venues/", meetings.venue_list, name="venues"),
    path("venues/new/", meetings.new_venue, name="new-venue"),
    path("venues/<int:pk>/edit/", meetings.edit_venue, name="edit-venue"),
    path("<int:pk>/", board.meeting_detail, name="detail"),
    path("<int:pk>.ics", calendar.meeting_ics, name="ics"),
    path("<int:pk>/edit/", meetings.edit_meeting, name="edit"),
    path("<int:pk>/cancel/", meetings.cancel_meeting, name="cancel"),
    path("<int:pk>/reinstate/", meetings.reinstate_meeting, name="reinstate"),
    path("<int:pk>/host/", board.volunteer_to_host, name="host"),
    path("<int:pk>/notes/", board.plenary_notes, name="notes"),
    path("<int:pk>/notes/history/", notes.meeting_notes_history, name="notes-history"),
    path("<int:pk>/notes/history/<int:a>/<int:b>/", notes.meeting_notes_diff, name="notes-diff"),
    path("<int:pk>/minutes/", minutes.meeting_minutes, name="minutes"),
    path("<int:pk>/minutes.md", minutes.meeting_minutes_markdown, name="minutes-markdown"),
    path("<int:pk>/attendance/", attendance.attendance_sheet, name="attendance"),
    path("<int:pk>/attendance/tick/", attendance.tick_attendance, name="tick"),
    path("<int:pk>/attendance/walk-in/", attendance.walk_in, name="walk-in"),
    path(
        "<int:pk>/attendance/workshops/<int:workshop_pk>/tick-all/",
        attendance.tick_workshop_signups,
        name="tick-all",
    ),
    # The sheet's service worker, at the top of /meetings/ so that its scope covers every sheet.
    path("door-worker.js", attendance.attendance_worker, name="door-worker"),
]

workshops_urlpatterns = [
    path("propose/", workshop_pages.propose_workshop, name="propose"),
    path("<int:pk>/", workshop_pages.workshop_detail, name="detail"),
    path("<int:pk>/edit/", workshop_pages.edit_workshop, name="edit"),
    path("<int:pk>/hide/", workshop_pages.hide_workshop, name="hide"),
    path("<int:pk>/notes/", workshop_pages.workshop_notes, name="notes"),
    path("<int:pk>/notes/history/", notes.workshop_notes_history, name="notes-history"),
    path("<int:pk>/notes/history/<int:a>/<int:b>/", notes.workshop_notes_diff, name="notes-diff"),
    path("<int:pk>/sign-up/", workshop_pages.sign_up, name="sign-up"),
]

calendar_urlpatterns = [
    path("calendar.ics", calendar.calendar_feed, name="public"),
    path("calendar/<str:token>.ics", calendar.private_feed, name="private"),
    path("calendar/revoke/", calendar.revoke_calendar_token, name="revoke"),
]
