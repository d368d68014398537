"""A cancelled meeting tells its hosts and signed-up people once, from a task."""

import pytest
from django.core import mail

from tests.factories import UserFactory
from tests.workshops.factories import MeetingFactory, SignupFactory, WorkshopFactory
from workshops import services
from workshops.models import Delivery
from workshops.tasks import send_cancellation_notices


@pytest.mark.django_db
def test_cancellation_notices_reach_hosts_and_signed_up_people_once():
    meeting = MeetingFactory(title="Assemblée de décembre")
    host = UserFactory(wants_reminders=False)
    meeting.hosts.add(host)
    signed_up = SignupFactory(workshop=WorkshopFactory(meeting=meeting)).person
    SignupFactory(workshop=WorkshopFactory(meeting=meeting, hidden=True))
    UserFactory()  # not concerned
    services.cancel_meeting(meeting, "La salle est inondée.")

    first = send_cancellation_notices(meeting_id=meeting.pk)
    second = send_cancellation_notices(meeting_id=meeting.pk)

    assert (first["sent"], second["sent"], second["already"]) == (2, 0, 2)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([host.email, signed_up.email])
    assert set(Delivery.objects.values_list("topic", "kind", "state")) == {
        (f"meeting:{meeting.pk}", "cancelled", "sent")
    }
    message = mail.outbox[0]
    assert message.subject.startswith("Annulée : Assemblée de décembre")
    assert "La salle est inondée." in message.body
    _filename, ics, _mimetype = message.attachments[0]
    assert "STATUS:CANCELLED" in ics


@pytest.mark.django_db
def test_cancellation_notices_skip_a_meeting_reinstated_meanwhile():
    meeting = MeetingFactory()
    meeting.hosts.add(UserFactory())
    services.cancel_meeting(meeting, "Oops")
    services.reinstate_meeting(meeting)
    assert send_cancellation_notices(meeting_id=meeting.pk)["sent"] == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_cancellation_notices_for_a_missing_meeting_do_nothing():
    assert send_cancellation_notices(meeting_id=987654) == {"sent": 0, "already": 0, "failed": 0}
