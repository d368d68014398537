"""A real Celery worker sends the meeting reminders to a real SMTP server, once."""

import datetime
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from assembly.models import Delivery
from tests.factories import UserFactory
from tests.services.conftest import wait_for
from tests.workshops.factories import MeetingFactory
from workshops.tasks import send_meeting_reminders


def messages_to(sink, email):
    return [m for m in sink.messages if m["To"] == email]


@pytest.mark.django_db(transaction=True)
def test_worker_sends_meeting_reminder_once_with_ics(celery_worker, smtp_sink):
    starts = (timezone.now() + datetime.timedelta(hours=20)).replace(microsecond=0)
    meeting = MeetingFactory(
        title="Assemblée du jeudi", starts_at=starts, ends_at=starts + datetime.timedelta(hours=3)
    )
    host = UserFactory(email="host-reminder@example.org", language="en")
    meeting.hosts.add(host)

    send_meeting_reminders.delay()
    wait_for(lambda: messages_to(smtp_sink, host.email), timeout=60)
    # Run it again, then once more after someone new joined: the solo worker takes tasks in
    # order, so when the newcomer's reminder arrives the duplicate run has finished too.
    send_meeting_reminders.delay()
    late_host = UserFactory(email="late-host-reminder@example.org")
    meeting.hosts.add(late_host)
    send_meeting_reminders.delay()
    wait_for(lambda: messages_to(smtp_sink, late_host.email), timeout=60)

    [message] = messages_to(smtp_sink, host.email)
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "Tomorrow: Assemblée du jeudi"
    parts = [part.get_content_type() for part in message.walk()]
    assert "text/calendar" in parts
    assert len(messages_to(smtp_sink, late_host.email)) == 1
    assert set(Delivery.objects.values_list("topic", "kind", "person_id", "state")) == {
        (f"meeting:{meeting.pk}", "reminder-1d", host.pk, "sent"),
        (f"meeting:{meeting.pk}", "reminder-1d", late_host.pk, "sent"),
    }
