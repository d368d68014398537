import datetime

import icalendar
import pytest
import time_machine
from django.template import Context, RequestContext, Template
from django.urls import reverse

from tests.factories import UserFactory
from tests.workshops.factories import (
    AttendanceFactory,
    MeetingFactory,
    PastMeetingFactory,
    SignupFactory,
    WorkshopFactory,
)
from workshops.models import Meeting
from workshops.services import next_meeting

pytestmark = pytest.mark.usefixtures("warm_configuration")


def parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def uids(calendar):
    return sorted(str(event["UID"]) for event in calendar.walk("VEVENT"))


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_public_calendar_lists_upcoming_meetings_and_visible_workshops(
    client, django_assert_num_queries, count
):
    PastMeetingFactory()
    meetings = MeetingFactory.create_batch(count)
    for meeting in meetings:
        WorkshopFactory(meeting=meeting)
        WorkshopFactory(meeting=meeting, hidden=True)
    with django_assert_num_queries(2):
        response = client.get("/calendar.ics")
    calendar = parse(response)
    assert len(calendar.walk("VEVENT")) == 2 * count
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    assert [f"meeting-{m.pk}@127.0.0.1" for m in meetings] == [
        u for u in uids(calendar) if u.startswith("meeting-")
    ]


@pytest.mark.django_db
def test_meeting_ics_times_uid_and_status(client):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED, cancellation_reason="Storm")
    event = parse(client.get(f"/meetings/{meeting.pk}.ics")).walk("VEVENT")[0]
    assert str(event["UID"]) == f"meeting-{meeting.pk}@127.0.0.1"
    assert event["STATUS"] == "CANCELLED"
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTEND") == meeting.ends_at
    assert meeting.venue.name in str(event["LOCATION"])


@pytest.mark.django_db
def test_meeting_ics_uid_is_stable(client):
    meeting = MeetingFactory()
    first = uids(parse(client.get(f"/meetings/{meeting.pk}.ics")))
    WorkshopFactory(meeting=meeting)
    second = uids(parse(client.get(f"/meetings/{meeting.pk}.ics")))
    assert set(first) < set(second)


@pytest.mark.django_db
def test_calendar_is_valid_rfc5545(client):
    WorkshopFactory(title="Long " * 30, description="Line one\nLine, two; three")
    content = client.get("/calendar.ics").content
    assert content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0"
    assert all("DTSTAMP" in event for event in calendar.walk("VEVENT"))


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_private_feed_lists_meetings_the_person_takes_part_in(
    client, django_assert_num_queries, count
):
    person = UserFactory()
    hosted, signed, attended = MeetingFactory(), MeetingFactory(), PastMeetingFactory()
    hosted.hosts.add(person)
    SignupFactory(workshop=WorkshopFactory(meeting=signed), person=person)
    AttendanceFactory(meeting=attended, person=person)
    for _ in range(count):
        MeetingFactory()
        AttendanceFactory(meeting=attended)
    with django_assert_num_queries(3):
        response = client.get(f"/calendar/{person.calendar_token}.ics")
    meeting_uids = [u for u in uids(parse(response)) if u.startswith("meeting-")]
    assert meeting_uids == sorted(f"meeting-{m.pk}@127.0.0.1" for m in (hosted, signed, attended))


@pytest.mark.django_db
def test_private_feed_unknown_token_is_404(client):
    assert client.get("/calendar/nope.ics").status_code == 404


@pytest.mark.django_db
def test_revoke_token_changes_the_address(person_client, person):
    old = person.calendar_token
    response = person_client.post(reverse("calendar:revoke"))
    person.refresh_from_db()
    assert response.status_code == 302
    assert person.calendar_token != old
    assert person_client.get(f"/calendar/{old}.ics").status_code == 404
    assert person_client.get(f"/calendar/{person.calendar_token}.ics").status_code == 200


@pytest.mark.django_db
def test_revoke_token_needs_login(client):
    assert client.post(reverse("calendar:revoke")).url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_me_calendar_shows_private_url(person):

    html = Template("{% load calendar_links %}{% me_calendar %}").render(Context({"user": person}))
    assert f"/calendar/{person.calendar_token}.ics" in html
    assert reverse("calendar:revoke") in html


@pytest.mark.django_db
def test_home_partial_shows_next_meeting(rf):

    meeting = MeetingFactory(
        starts_at=MeetingFactory.starts_at.function() + datetime.timedelta(days=1)
    )
    WorkshopFactory(meeting=meeting, title="Compost 101")
    html = Template("{% load workshops_home %}{% next_meeting_section next_meeting %}").render(
        RequestContext(rf.get("/"), {"next_meeting": next_meeting()})
    )
    assert "Compost 101" in html
    assert meeting.get_absolute_url() in html


@pytest.mark.django_db
def test_public_calendar_keeps_a_cancelled_meeting_as_cancelled(client):
    # Subscribers learn of a cancellation only if the event stays in the feed, marked so.
    cancelled = MeetingFactory(status=Meeting.Status.CANCELLED, cancellation_reason="Storm")
    WorkshopFactory(meeting=cancelled)
    planned = MeetingFactory()
    events = parse(client.get("/calendar.ics")).walk("VEVENT")
    status = {str(event["UID"]): str(event["STATUS"]) for event in events}
    assert status[f"meeting-{cancelled.pk}@127.0.0.1"] == "CANCELLED"
    assert status[f"meeting-{planned.pk}@127.0.0.1"] == "CONFIRMED"
    assert sorted(status.values()) == ["CANCELLED", "CANCELLED", "CONFIRMED"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_meeting_ics_query_count_is_constant(client, django_assert_num_queries, count):
    meeting = MeetingFactory()
    WorkshopFactory.create_batch(count, meeting=meeting)
    WorkshopFactory(meeting=meeting, hidden=True)
    with django_assert_num_queries(2):
        response = client.get(f"/meetings/{meeting.pk}.ics")
    assert len(parse(response).walk("VEVENT")) == 1 + count


@pytest.mark.django_db
def test_calendar_events_do_not_change_between_fetches(client):
    # Only DTSTAMP (when the feed was produced) may differ; anything else tells calendar clients
    # that every event was modified at each refresh.
    meeting = MeetingFactory()
    WorkshopFactory(meeting=meeting)

    def events_at(moment):
        with time_machine.travel(moment, tick=False):
            events = parse(client.get("/calendar.ics")).walk("VEVENT")
        return [
            sorted((key, value.to_ical()) for key, value in event.items() if key != "DTSTAMP")
            for event in events
        ]

    first = meeting.starts_at - datetime.timedelta(days=3)
    assert events_at(first) == events_at(first + datetime.timedelta(hours=5))
