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
        # The workshops' tables as of BEFORE (later migrations add columns the factories know).
        meeting_model = old.get_model("workshops", "Meeting")
        attendance_model = old.get_model("workshops", "Attendance")
        starts_at = timezone.now() - datetime.timedelta(days=7)
        meeting = meeting_model.objects.create(
            title="Assemblée", starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=3)
        )
        client_id = uuid.uuid4()
        from_phone = attendance_model.objects.create(
            meeting=meeting, person_id=UserFactory().pk, client_id=client_id
        )
        # ticked on the sheet, no id
        attendance_model.objects.create(meeting=meeting, person_id=UserFactory().pk)

        new = migrate(None)

        rows = new.get_model("workshops", "AppliedTick").objects.values_list(
            "client_id", "meeting_id", "person_id", "applied_at"
        )
        assert list(rows) == [(client_id, meeting.pk, from_phone.person_id, from_phone.recorded_at)]
    finally:
        migrate(None)
