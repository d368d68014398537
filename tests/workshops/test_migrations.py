"""The ticks a phone sent before the log of applied ids existed are logged by its migration, so
that a replay of one of them after an undo is recognised too."""

import datetime
import uuid

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.migrations import migrate

BEFORE = [("workshops", "0006_notes_history")]


@pytest.mark.django_db(transaction=True)
def test_ticks_recorded_with_a_phone_id_are_logged_as_applied():
    try:
        old = migrate(BEFORE)
        # Only the workshops' migrations after 0006 are unapplied: people are as the factories
        # know them, meetings and attendance as the models were then.
        person, other = UserFactory(), UserFactory()
        starts = timezone.now()
        meeting = old.get_model("workshops", "Meeting").objects.create(
            title="Assemblée", starts_at=starts, ends_at=starts + datetime.timedelta(hours=3)
        )
        attendance = old.get_model("workshops", "Attendance").objects
        client_id = uuid.uuid4()
        from_phone = attendance.create(meeting=meeting, person_id=person.pk, client_id=client_id)
        attendance.create(meeting=meeting, person_id=other.pk)  # ticked on the sheet, no id

        new = migrate(None)

        rows = new.get_model("workshops", "AppliedTick").objects.values_list(
            "client_id", "meeting_id", "person_id", "applied_at"
        )
        assert list(rows) == [(client_id, meeting.pk, from_phone.person_id, from_phone.recorded_at)]
    finally:
        migrate(None)
