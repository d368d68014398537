"""The ticks a phone sent before the log of applied ids existed are logged by its migration, so
that a replay of one of them after an undo is recognised too."""

import uuid

import pytest

from tests.factories import UserFactory
from tests.migrations import migrate
from tests.workshops.factories import AttendanceFactory, MeetingFactory

BEFORE = [("workshops", "0006_notes_history")]


@pytest.mark.django_db(transaction=True)
def test_ticks_recorded_with_a_phone_id_are_logged_as_applied():
    try:
        migrate(BEFORE)
        # Only workshops 0007 is unapplied: the other tables are as the factories know them.
        meeting = MeetingFactory()
        from_phone = AttendanceFactory(meeting=meeting, person=UserFactory())
        client_id = uuid.uuid4()
        type(from_phone).objects.filter(pk=from_phone.pk).update(client_id=client_id)
        AttendanceFactory(meeting=meeting, person=UserFactory())  # ticked on the sheet, no id

        new = migrate(None)

        rows = new.get_model("workshops", "AppliedTick").objects.values_list(
            "client_id", "meeting_id", "person_id", "applied_at"
        )
        assert list(rows) == [(client_id, meeting.pk, from_phone.person_id, from_phone.recorded_at)]
    finally:
        migrate(None)
