"""A cancelled meeting tells its hosts and signed-up people once, from a task; reinstating it
tells the people the cancellation reached."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from assembly.models import Delivery, Frequency, Topic
from assembly.notifications import retry
from assembly.notifications.topics import set_frequency
from tests.factories import UserFactory
from tests.workshops.factories import MeetingFactory, SignupFactory, WorkshopFactory
from tests.workshops.test_services import enqueued_tasks
from workshops import services
from workshops.models import Meeting
from workshops.reminders import send_meeting_reminders
from workshops.tasks import send_cancellation_notices, send_reinstatement_notices


@pytest.mark.django_db
def test_cancellation_notices_reach_hosts_and_signed_up_people_once():
    meeting = MeetingFactory(title="Assemblée de décembre")
    host = UserFactory()
    set_frequency(host, Topic.ASSEMBLIES, Frequency.NEVER)  # they planned to come: told anyway
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


@pytest.mark.django_db
def test_reinstatement_tells_the_people_the_cancellation_reached_once():
    meeting = MeetingFactory(title="Assemblée de décembre")
    host, late_signup = UserFactory(), UserFactory()
    meeting.hosts.add(host)
    services.cancel_meeting(meeting, "Erreur")
    send_cancellation_notices(meeting_id=meeting.pk)
    SignupFactory(workshop=WorkshopFactory(meeting=meeting), person=late_signup)
    services.reinstate_meeting(meeting)
    mail.outbox.clear()

    first = send_reinstatement_notices(meeting_id=meeting.pk)
    second = send_reinstatement_notices(meeting_id=meeting.pk)

    assert (first["sent"], second["sent"]) == (1, 0)
    assert [message.to for message in mail.outbox] == [[host.email]]
    assert mail.outbox[0].subject.startswith("Maintenue : Assemblée de décembre")
    assert "STATUS:CONFIRMED" in mail.outbox[0].attachments[0][1]


@pytest.mark.django_db
def test_reinstate_enqueues_notices_only_when_it_was_cancelled(django_capture_on_commit_callbacks):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED, cancellation_reason="Oops")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.reinstate_meeting(meeting)
        services.reinstate_meeting(meeting)
    assert enqueued_tasks(callbacks) == [
        ("workshops.send_reinstatement_notices", {"meeting_id": meeting.pk})
    ]


@pytest.mark.django_db
def test_a_retried_cancellation_notice_goes_out_with_the_next_reminders():
    meeting = MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=30))
    host = UserFactory()
    meeting.hosts.add(host)
    services.cancel_meeting(meeting, "Grève")
    Delivery.objects.create(
        topic=f"meeting:{meeting.pk}", person=host, kind="cancelled", state=Delivery.State.FAILED
    )
    retry(Delivery.objects.get())

    report = send_meeting_reminders()

    assert report.sent == 1
    assert [message.to for message in mail.outbox] == [[host.email]]
    assert Delivery.objects.get().state == Delivery.State.SENT
