"""A real Celery worker sends the meeting reminders to a real SMTP server, once."""

import datetime
import socket
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.services.conftest import wait_for
from tests.workshops.factories import MeetingFactory
from workshops.models import Delivery
from workshops.tasks import send_meeting_reminders


@pytest.fixture(scope="session")
def smtp_sink():
    """The shared sink, started on a free port chosen first.

    tests/services/conftest.py asks aiosmtpd for port 0, which aiosmtpd 1.4 cannot do (it then
    connects to port 0 to check the server is up, and fails); this override, which celery_worker
    picks up for the tests of this module, can go once the shared fixture is fixed.
    """
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    class Inbox(Message):
        def __init__(self):
            super().__init__()
            self.messages = []

        def handle_message(self, message):
            self.messages.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def worker(celery_worker):
    """The real worker, with the broker pools reopened.

    The shared fixture closes the app's connection pool to switch brokers, but a closed kombu
    pool refuses every later acquire ("Acquire on closed pool"), and kombu's registry hands the
    same closed pool back for the same URL; resetting the registry makes Celery build fresh ones.
    """
    from kombu import pools

    from assembly.celery import app

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    return celery_worker


def messages_to(sink, email):
    return [m for m in sink.messages if m["To"] == email]


@pytest.mark.django_db(transaction=True)
def test_worker_sends_meeting_reminder_once_with_ics(worker, smtp_sink):
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
