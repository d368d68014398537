"""What meetings and workshops hold about a person beyond attendance: hosting and facilitating."""

import json

import pytest

from assembly import personal_data
from assembly.people import delete_account
from tests.factories import UserFactory
from tests.workshops.factories import (
    AttendanceFactory,
    MeetingFactory,
    PastMeetingFactory,
    WorkshopFactory,
)
from workshops import services
from workshops.models import Attendance

pytestmark = pytest.mark.django_db


def exported(person) -> dict:
    return json.loads(json.dumps(personal_data.export(person), default=str))["sections"]


def test_export_lists_the_meetings_i_host_and_the_workshops_i_facilitate():
    person = UserFactory()
    meeting = MeetingFactory(title="Assemblée de mars")
    meeting.hosts.add(person)
    MeetingFactory(title="Not mine").hosts.add(UserFactory())
    WorkshopFactory(title="Compost", meeting=meeting, proposed_by=None).facilitators.add(person)

    sections = exported(person)

    assert [m["title"] for m in sections["hosted_meetings"]] == ["Assemblée de mars"]
    assert [(w["title"], w["meeting"]) for w in sections["facilitated_workshops"]] == [
        ("Compost", "Assemblée de mars")
    ]


def test_deleting_a_host_removes_them_from_the_meeting_and_keeps_what_they_recorded():
    host, attendee = UserFactory(), UserFactory()
    meeting = MeetingFactory()
    meeting.hosts.add(host)
    WorkshopFactory(meeting=meeting, proposed_by=None).facilitators.add(host)
    AttendanceFactory(meeting=meeting, person=attendee, recorded_by=host)

    personal_data.delete_person(host, delete_account)

    assert meeting.hosts.count() == 0
    assert meeting.workshops.get().facilitators.count() == 0
    assert list(Attendance.objects.values_list("person", "recorded_by")) == [(attendee.pk, None)]


def test_export_holds_the_notes_revisions_the_person_saved():
    writer = UserFactory()
    meeting = PastMeetingFactory()
    services.write_plenary_notes(meeting, "We met.", by=writer)
    services.write_plenary_notes(meeting, "Someone else's.", by=UserFactory())
    rows = exported(writer)["notes_revisions"]
    assert [(row["meeting"], row["notes"]) for row in rows] == [(meeting.pk, "We met.")]


def test_deleting_the_account_keeps_the_notes_revisions_without_a_name():
    writer = UserFactory()
    meeting = PastMeetingFactory()
    services.write_plenary_notes(meeting, "We met.", by=writer)
    delete_account(writer)
    assert list(meeting.history.values_list("plenary_notes", "history_user")) == [
        ("We met.", None),
        ("", None),
    ]
